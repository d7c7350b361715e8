import type { MessageContent } from './content';
import { getJson, type KeyStore, putJson } from './store/key-store';

const PREFIX = 'messages/';
/** Messages kept per conversation; also the window in which replays are recognised by id. */
const KEEP = 500;

export interface StoredMessage {
  conversationId: string;
  /** The content's id (also the server's clientMessageId). */
  id: string;
  senderAccountId: string;
  senderDeviceId: string;
  outgoing: boolean;
  content: MessageContent;
  /** The server's time for received messages, ours for sent ones. */
  at: number;
  /** The inbox sequence number it arrived with. */
  seq?: number;
  /** One of ours: when the server said every device it was queued for had it (the server's time). */
  deliveredAt?: number;
}

/**
 * The recent messages of each conversation, in the key store. Deduplication by (sender device, id):
 * a message stored here is never shown again, whatever the server replays.
 */
export class MessageLog {
  constructor(private readonly store: KeyStore) {}

  async list(conversationId: string, limit = KEEP): Promise<StoredMessage[]> {
    const all = (await getJson<StoredMessage[]>(this.store, PREFIX + conversationId)) ?? [];
    return all.slice(-limit);
  }

  async has(conversationId: string, senderDeviceId: string, id: string): Promise<boolean> {
    return (await this.list(conversationId)).some((m) => m.senderDeviceId === senderDeviceId && m.id === id);
  }

  async append(message: StoredMessage): Promise<void> {
    const all = await this.list(message.conversationId);
    all.push(message);
    await putJson(this.store, PREFIX + message.conversationId, all.slice(-KEEP));
  }

  /**
   * Marks the account's own messages with these ids delivered, and answers the ids it marked now (not those
   * marked before, nor those this log does not hold). Call under the conversation's lock, like `append`.
   */
  async markDelivered(
    conversationId: string,
    accountId: string,
    ids: readonly string[],
    at: number,
  ): Promise<string[]> {
    const wanted = new Set(ids);
    const marked: string[] = [];
    const all = await this.list(conversationId);
    for (const m of all) {
      if (m.senderAccountId !== accountId || !wanted.has(m.id) || m.deliveredAt !== undefined) continue;
      m.deliveredAt = at;
      marked.push(m.id);
    }
    if (marked.length > 0) await putJson(this.store, PREFIX + conversationId, all);
    return marked;
  }

  async last(conversationId: string): Promise<StoredMessage | undefined> {
    return (await this.list(conversationId, 1))[0];
  }
}
