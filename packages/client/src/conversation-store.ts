import type { DeviceService } from './device';
import type { MlsGroup } from './mls/group';
import { restoreGroup } from './mls/lifecycle';
import { getJson, type KeyStore, putJson } from './store/key-store';
import { KeyedLock } from './util/keyed-lock';

const RECORD_PREFIX = 'conversations/';
const GROUP_PREFIX = 'groups/';

/** What this device knows about a conversation besides its MLS state. */
/** Where a commit put an added device in the ratchet tree, as the server is told. */
export interface DeviceLeaf {
  deviceId: string;
  leafIndex: number;
}

export interface ConversationRecord {
  conversationId: string;
  kind: 'direct' | 'group';
  /** A group's title, as its members last said it (`group.info` content). */
  title?: string;
  /** A direct conversation's other account. */
  peerAccountId?: string;
  /** `leaving`: our leave proposal waits for another member's commit; `removed`: we are out. */
  status: 'active' | 'leaving' | 'removed';
  createdAt: number;
  lastMessageAt?: number;
  /** A commit sent without an answer yet (a crash, a lost response): resent with the same id on recovery. */
  pendingCommit?: { clientMessageId: string; add: string[]; remove: string[]; leaves?: DeviceLeaf[] };
}

/**
 * Conversations on this device: a record and the MLS group state of each, in the key store. The state
 * is written right after every change. One operation at a time per conversation (`exclusive`), shared by
 * sending and by the inbox, so that a group is never used by two operations at once.
 */
export class ConversationStore {
  readonly #lock = new KeyedLock();
  readonly #groups = new Map<string, MlsGroup>();

  constructor(
    private readonly store: KeyStore,
    private readonly device: DeviceService,
  ) {}

  exclusive<T>(conversationId: string, operation: () => Promise<T>): Promise<T> {
    return this.#lock.run(conversationId, operation);
  }

  async group(conversationId: string): Promise<MlsGroup | undefined> {
    const cached = this.#groups.get(conversationId);
    if (cached) return cached;
    const bytes = await this.store.get(GROUP_PREFIX + conversationId);
    if (!bytes) return undefined;
    const group = restoreGroup(await this.device.context(), bytes);
    this.#groups.set(conversationId, group);
    return group;
  }

  /** Persists the group's state (secrets included); call after every operation on it. */
  async saveGroup(group: MlsGroup): Promise<void> {
    this.#groups.set(group.conversationId, group);
    await this.store.put(GROUP_PREFIX + group.conversationId, group.serialize());
  }

  record(conversationId: string): Promise<ConversationRecord | undefined> {
    return getJson<ConversationRecord>(this.store, RECORD_PREFIX + conversationId);
  }

  async saveRecord(record: ConversationRecord): Promise<void> {
    await putJson(this.store, RECORD_PREFIX + record.conversationId, record);
  }

  async updateRecord(
    conversationId: string,
    change: (r: ConversationRecord) => ConversationRecord,
  ): Promise<ConversationRecord | undefined> {
    const record = await this.record(conversationId);
    if (!record) return undefined;
    const next = change(record);
    await this.saveRecord(next);
    return next;
  }

  async list(): Promise<ConversationRecord[]> {
    const out: ConversationRecord[] = [];
    for (const key of await this.store.list(RECORD_PREFIX)) {
      const record = await getJson<ConversationRecord>(this.store, key);
      if (record) out.push(record);
    }
    return out.sort((a, b) => (b.lastMessageAt ?? b.createdAt) - (a.lastMessageAt ?? a.createdAt));
  }
}
