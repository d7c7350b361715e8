import type { BlockedAccount, KeyStore, SignetClient, StoredMessage } from '@signet/client';
import { getJson, putJson } from '@signet/client';
import { ClientEventStore } from '../lib/client-event-store';

/** A message typed or a file picked here that the server has not taken yet (or refused). */
export interface PendingMessage {
  localId: string;
  conversationId: string;
  input: { type: 'text'; text: string } | { type: 'file'; file: File };
  state: 'sending' | 'failed';
  error?: unknown;
  at: number;
}

/** Keys of the web app's own records in the device's key store, apart from the SDK's. */
const READ_PREFIX = 'web/read/';
const KEY_NOTICE_PREFIX = 'web/key-change-seen/';

/**
 * What the chat screens share besides the SDK: sends in flight, read marks (for unread counts), the block list,
 * and one revision number that moves whenever any of it, or anything the SDK reports, changes.
 */
export class ChatState extends ClientEventStore {
  readonly #pending = new Map<string, PendingMessage[]>();
  #blocked: Promise<BlockedAccount[]> | undefined;

  constructor(
    readonly client: SignetClient,
    private readonly store: KeyStore,
  ) {
    super();
  }

  /** The SDK events that change what the chat screens show. */
  protected listen(): (() => void)[] {
    return [
      this.client.on('message', () => this.changed()),
      this.client.on('delivered', () => this.changed()),
      this.client.on('conversation', () => this.changed()),
      this.client.on('contact', () => this.changed()),
      this.client.on('keyChanged', () => this.changed()),
    ];
  }

  pending(conversationId: string): PendingMessage[] {
    return this.#pending.get(conversationId) ?? [];
  }

  sendText(conversationId: string, text: string): void {
    this.#start({
      localId: crypto.randomUUID(),
      conversationId,
      input: { type: 'text', text },
      state: 'sending',
      at: Date.now(),
    });
  }

  sendFile(conversationId: string, file: File): void {
    this.#start({
      localId: crypto.randomUUID(),
      conversationId,
      input: { type: 'file', file },
      state: 'sending',
      at: Date.now(),
    });
  }

  retry(message: PendingMessage): void {
    this.#remove(message);
    this.#start({ ...message, state: 'sending', at: Date.now() });
  }

  discard(message: PendingMessage): void {
    this.#remove(message);
    this.changed();
  }

  /** Incoming messages after the conversation was last read here. */
  async unread(conversationId: string, messages: StoredMessage[]): Promise<number> {
    const mark = (await getJson<number>(this.store, READ_PREFIX + conversationId)) ?? 0;
    return messages.filter((m) => !m.outgoing && m.at > mark).length;
  }

  async markRead(conversationId: string, messages: StoredMessage[]): Promise<void> {
    const last = messages.findLast((m) => !m.outgoing)?.at;
    if (last === undefined) return;
    const mark = (await getJson<number>(this.store, READ_PREFIX + conversationId)) ?? 0;
    if (last <= mark) return;
    await putJson(this.store, READ_PREFIX + conversationId, last);
    this.changed();
  }

  /** When the user last acknowledged a change of this contact's safety number. */
  async keyChangeSeen(accountId: string): Promise<number> {
    return (await getJson<number>(this.store, KEY_NOTICE_PREFIX + accountId)) ?? 0;
  }

  async acknowledgeKeyChange(accountId: string, at: number): Promise<void> {
    await putJson(this.store, KEY_NOTICE_PREFIX + accountId, at);
    this.changed();
  }

  /** The accounts this user refuses messages from (the server's list, read once and kept current here). */
  blocked(): Promise<BlockedAccount[]> {
    this.#blocked ??= this.client.blocks.list().catch((error: unknown) => {
      this.#blocked = undefined;
      throw error;
    });
    return this.#blocked;
  }

  async setBlocked(accountId: string, blocked: boolean): Promise<void> {
    if (blocked) await this.client.blocks.block(accountId);
    else await this.client.blocks.unblock(accountId);
    this.#blocked = undefined;
    this.changed();
  }

  #start(message: PendingMessage): void {
    const list = [...this.pending(message.conversationId), message];
    this.#pending.set(message.conversationId, list);
    this.changed();
    void this.#send(message);
  }

  async #send(message: PendingMessage): Promise<void> {
    const { conversations } = this.client;
    try {
      if (message.input.type === 'text') {
        await conversations.sendText(message.conversationId, message.input.text);
      } else {
        const { file } = message.input;
        const bytes = new Uint8Array(await file.arrayBuffer());
        await conversations.sendAttachment(message.conversationId, bytes, {
          name: file.name,
          type: file.type || 'application/octet-stream',
        });
      }
      // Sent: the SDK's message log holds it now.
      this.#remove(message);
    } catch (error) {
      this.#replace(message, { ...message, state: 'failed', error });
    }
    this.changed();
  }

  #remove(message: PendingMessage): void {
    const list = this.pending(message.conversationId).filter((m) => m.localId !== message.localId);
    this.#pending.set(message.conversationId, list);
  }

  #replace(message: PendingMessage, next: PendingMessage): void {
    const list = this.pending(message.conversationId).map((m) => (m.localId === message.localId ? next : m));
    this.#pending.set(message.conversationId, list);
  }
}
