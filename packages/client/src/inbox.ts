import type { InboxFrame, ServerFrame } from '@signet/protocol';
import type { SignetApi } from './api/endpoints';
import { SignetNetworkError } from './api/http-client';
import type { ContactService } from './contacts';
import { decodeContent } from './content';
import type { ConversationRecord, ConversationStore } from './conversation-store';
import type { DeviceService } from './device';
import { CatchUpTimeoutError, NotInConversationError } from './errors';
import type { ClientEvents } from './events';
import type { GroupCommitter } from './group-commits';
import type { MessageLog, StoredMessage } from './message-log';
import { fromBase64url } from './mls/bytes';
import { EpochError, MessageReplayError, NoMatchingKeyPackageError } from './mls/errors';
import type { MlsGroup } from './mls/group';
import { joinGroupFromWelcome } from './mls/lifecycle';
import type { SessionService } from './session';
import { getJson, type KeyStore, putJson } from './store/key-store';
import type { Emitter } from './util/emitter';

const CURSOR_KEY = 'inbox/cursor';

export interface InboxDeps {
  api: SignetApi;
  store: KeyStore;
  session: SessionService;
  device: DeviceService;
  conversations: ConversationStore;
  committer: GroupCommitter;
  log: MessageLog;
  contacts: ContactService;
  events: Emitter<ClientEvents>;
  /** Acknowledges everything up to seq to the server (the realtime connection's ack). */
  ack: (seq: number) => void;
  /** Proposals wait in a group: someone has to commit them (see ConversationService.onProposals). */
  onProposals: (conversationId: string) => void;
  /** A commit arrived without our leave proposal in it: the proposal is void and has to be made again. */
  onLeaveVoided: (conversationId: string) => void;
}

interface EpochWaiter {
  conversationId: string;
  epoch: number;
  resolve: () => void;
  reject: (error: Error) => void;
}

/**
 * The device's inbox, as the server pushes it: frames are processed one at a time in sequence order —
 * a Welcome joins the group, a commit or proposal moves it on, an application message is decrypted and
 * emitted — and each is acknowledged only once what it changed is in the key store. A frame seen before
 * (by sequence number) or a message already stored (by sender device and id) is never shown twice.
 */
export class Inbox {
  #queue: Promise<void> = Promise.resolve();
  #inFlight = 0;
  #cursor: number | undefined;
  #lastFrameAt = 0;
  readonly #waiters = new Set<EpochWaiter>();
  readonly #idle = new Set<() => void>();

  constructor(private readonly deps: InboxDeps) {}

  /** Takes a frame from the realtime connection. */
  handle(frame: ServerFrame): void {
    this.#lastFrameAt = Date.now();
    switch (frame.type) {
      case 'message':
        this.#enqueue(frame);
        return;
      case 'event':
        this.deps.events.emit('account', frame.event);
        if (frame.event.type === 'identification.changed') {
          const { state, failure, deadlineAt } = frame.event;
          this.#enqueueTask(async () => {
            await this.deps.session.noteState(state);
            this.deps.events.emit('identification', { state, failure, deadlineAt });
            if (state === 'identified') await this.deps.device.ensureReady();
          });
        }
        if (frame.event.type === 'message.delivered') {
          const { conversationId, clientMessageIds, at } = frame.event;
          this.#enqueueTask(() => this.#delivered(conversationId, clientMessageIds, at));
        }
        return;
      case 'error':
        this.deps.events.emit('error', { error: new Error(`${frame.code}: ${frame.message}`) });
        return;
      default:
        return;
    }
  }

  /** Resolves when every frame received so far has been processed. */
  idle(): Promise<void> {
    if (this.#inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idle.add(resolve));
  }

  /** When the last frame arrived (milliseconds), to tell a quiet connection. */
  get lastFrameAt(): number {
    return this.#lastFrameAt;
  }

  /** Waits until the group reaches the epoch (the winning commit processed from the stream). */
  async waitForEpoch(conversationId: string, epoch: number, timeoutMs = 15_000): Promise<void> {
    if (await this.#reached(conversationId, epoch)) return;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiters.delete(waiter);
        reject(new CatchUpTimeoutError(`conversation ${conversationId} did not reach epoch ${epoch} in time`));
      }, timeoutMs);
      const waiter: EpochWaiter = {
        conversationId,
        epoch,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      };
      this.#waiters.add(waiter);
    });
  }

  #enqueue(frame: InboxFrame): void {
    this.#enqueueTask(() => this.#process(frame));
  }

  #enqueueTask(task: () => Promise<void>): void {
    this.#inFlight++;
    this.#queue = this.#queue
      .then(task)
      .catch((error) => this.deps.events.emit('error', { error }))
      .finally(() => {
        this.#inFlight--;
        if (this.#inFlight === 0) {
          for (const wake of this.#idle) wake();
          this.#idle.clear();
        }
      });
  }

  async #process(frame: InboxFrame): Promise<void> {
    this.#cursor ??= (await getJson<{ seq: number }>(this.deps.store, CURSOR_KEY))?.seq ?? 0;
    if (frame.seq > this.#cursor) {
      try {
        await retryTransient(() => this.#apply(frame));
      } catch (error) {
        // A frame that cannot be processed is reported and passed over: holding it would stop the inbox.
        this.deps.events.emit('error', { error, frame });
      }
      this.#cursor = frame.seq;
      await putJson(this.deps.store, CURSOR_KEY, { seq: frame.seq });
    }
    this.deps.ack(frame.seq);
    await this.#wakeWaiters(frame.conversationId);
  }

  #apply(frame: InboxFrame): Promise<void> {
    const { conversations } = this.deps;
    return conversations.exclusive(frame.conversationId, async () => {
      const payload = fromBase64url(frame.payload);
      if (frame.kind === 'welcome') return this.#join(frame, payload);
      const group = await conversations.group(frame.conversationId);
      if (!group?.isMember) return;
      // A commit of ours left pending by a crash is settled before anything else touches the group.
      if (group.pendingCommit) await this.deps.committer.recover(group);
      if (frame.kind === 'application') return this.#application(frame, group, payload);
      return this.#handshake(frame, group, payload);
    });
  }

  async #join(frame: InboxFrame, payload: Uint8Array): Promise<void> {
    const { conversations, device, api } = this.deps;
    if ((await conversations.group(frame.conversationId))?.isMember) return;
    let joined: Awaited<ReturnType<typeof joinGroupFromWelcome>>;
    try {
      joined = await joinGroupFromWelcome(await device.context(), payload, await device.keyPackages());
    } catch (error) {
      // Welcomes go to every device of an added account; this one was for another of ours.
      if (error instanceof NoMatchingKeyPackageError) return;
      throw error;
    }
    const { group, keyPackage } = joined;
    await conversations.saveGroup(group);
    await device.consumeKeyPackage(keyPackage);
    const self = this.deps.session.require().accountId;
    const others = [...new Set(group.members.map((m) => m.accountId))].filter((a) => a !== self);
    const known = await conversations.record(frame.conversationId);
    const kind = (await api.conversation(frame.conversationId).catch(() => undefined))?.kind ?? known?.kind ?? 'group';
    const record: ConversationRecord = {
      conversationId: frame.conversationId,
      kind,
      ...(known?.title ? { title: known.title } : {}),
      ...(kind === 'direct' && others[0] ? { peerAccountId: others[0] } : {}),
      status: 'active',
      createdAt: known?.createdAt ?? frame.sentAt,
    };
    await conversations.saveRecord(record);
    await this.deps.contacts.observe(group.members);
    this.deps.events.emit('conversation', {
      conversationId: frame.conversationId,
      change: 'joined',
      by: frame.senderAccountId,
      added: [],
      removed: [],
    });
    void device.topUpKeyPackages().catch((error) => this.deps.events.emit('error', { error }));
  }

  async #application(frame: InboxFrame, group: MlsGroup, payload: Uint8Array): Promise<void> {
    const { conversations, log } = this.deps;
    let event: Awaited<ReturnType<MlsGroup['receive']>>;
    try {
      event = await group.receive(payload);
    } catch (error) {
      if (error instanceof MessageReplayError) return;
      throw error;
    }
    if (event.kind !== 'application') return;
    const sender = event.sender;
    let content: ReturnType<typeof decodeContent>;
    try {
      content = decodeContent(event.plaintext);
    } catch (error) {
      await conversations.saveGroup(group);
      throw error;
    }
    if (await log.has(frame.conversationId, sender.deviceId, content.id)) {
      await conversations.saveGroup(group);
      return;
    }
    if (content.type === 'group.info') {
      await conversations.updateRecord(frame.conversationId, (r) => ({ ...r, title: content.title }));
      await conversations.saveGroup(group);
      this.deps.events.emit('conversation', {
        conversationId: frame.conversationId,
        change: 'title',
        by: sender.accountId,
        added: [],
        removed: [],
      });
      return;
    }
    if (content.type === 'contacts') {
      await conversations.saveGroup(group);
      // Only members' numbers are checked: a claim about anyone else would only spend our lookups.
      const members = new Set(group.members.map((m) => m.accountId));
      const cards = content.contacts.filter((c) => members.has(c.accountId));
      for (const card of await this.deps.contacts.learnNumbers(cards)) this.deps.events.emit('contact', card);
      return;
    }
    const message: StoredMessage = {
      conversationId: frame.conversationId,
      id: content.id,
      senderAccountId: sender.accountId,
      senderDeviceId: sender.deviceId,
      outgoing: false,
      content,
      at: frame.sentAt,
      seq: frame.seq,
    };
    // Stored before the group state: a crash in between decrypts it again, and the log then knows it.
    await log.append(message);
    await conversations.saveGroup(group);
    await conversations.updateRecord(frame.conversationId, (r) => ({ ...r, lastMessageAt: frame.sentAt }));
    this.deps.events.emit('message', message);
  }

  /**
   * The server tells a delivery once, to the devices connected at the time: one that was offline then keeps
   * showing the message as sent (the server keeps no record of deliveries to replay).
   */
  async #delivered(conversationId: string, ids: string[], at: number): Promise<void> {
    const self = this.deps.session.require().accountId;
    // Under the conversation's lock: a send appends its message to the log only once the server has answered.
    const marked = await this.deps.conversations.exclusive(conversationId, () =>
      this.deps.log.markDelivered(conversationId, self, ids, at),
    );
    if (marked.length > 0) this.deps.events.emit('delivered', { conversationId, messageIds: marked });
  }

  async #handshake(frame: InboxFrame, group: MlsGroup, payload: Uint8Array): Promise<void> {
    const { conversations } = this.deps;
    let event: Awaited<ReturnType<MlsGroup['receive']>>;
    try {
      event = await group.receive(payload);
    } catch (error) {
      // Seen before (a replay after a crash), or a commit that lost to another: nothing to do.
      if (error instanceof MessageReplayError) return;
      if (error instanceof EpochError && error.direction === 'expired') return;
      throw error;
    }
    await conversations.saveGroup(group);
    if (event.kind === 'proposal') {
      if (event.accepted) this.deps.onProposals(frame.conversationId);
      return;
    }
    if (event.kind !== 'commit') return;
    const record = await conversations.record(frame.conversationId);
    if (event.removedSelf) {
      await conversations.updateRecord(frame.conversationId, (r) => ({ ...r, status: 'removed' }));
    } else {
      await this.deps.contacts.observe(event.added);
      if (record?.status === 'leaving') this.deps.onLeaveVoided(frame.conversationId);
    }
    this.deps.events.emit('conversation', {
      conversationId: frame.conversationId,
      change: event.removedSelf ? 'removed' : 'members',
      by: event.committer?.accountId ?? frame.senderAccountId,
      added: [...new Set(event.added.map((m) => m.accountId))],
      removed: [...new Set(event.removed.map((m) => m.accountId))],
    });
    if (group.pendingProposals.length > 0) this.deps.onProposals(frame.conversationId);
  }

  async #reached(conversationId: string, epoch: number): Promise<boolean> {
    const group = await this.deps.conversations.group(conversationId);
    if (group && !group.isMember) throw new NotInConversationError(conversationId);
    return group !== undefined && Number(group.epoch) >= epoch;
  }

  async #wakeWaiters(conversationId: string): Promise<void> {
    for (const w of [...this.#waiters]) {
      if (w.conversationId !== conversationId) continue;
      try {
        if (!(await this.#reached(conversationId, w.epoch))) continue;
        this.#waiters.delete(w);
        w.resolve();
      } catch (error) {
        this.#waiters.delete(w);
        w.reject(error as Error);
      }
    }
  }
}

/** Lost connections (fetching a member's credential, say) are retried a few times before giving up. */
async function retryTransient(run: () => Promise<void>, attempts = 3): Promise<void> {
  for (let i = 1; ; i++) {
    try {
      return await run();
    } catch (error) {
      if (!(error instanceof SignetNetworkError) || i >= attempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, 500 * i));
    }
  }
}
