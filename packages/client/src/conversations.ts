import type { Conversation } from '@signet/protocol';
import type { SignetApi } from './api/endpoints';
import { SignetApiError } from './api/http-client';
import type { AttachmentMeta, AttachmentService } from './attachments';
import type { ContactService } from './contacts';
import { type ContactCard, type ContentInput, encodeContent, isControlContent, newContent } from './content';
import type { ConversationRecord, ConversationStore } from './conversation-store';
import type { CredentialDirectory } from './credential-directory';
import type { DeviceService } from './device';
import {
  NoDevicesError,
  NotInConversationError,
  RecipientUnavailableError,
  SignetClientError,
  UnknownConversationError,
} from './errors';
import type { ClientEvents } from './events';
import { type GroupCommitter, sendWithRetry } from './group-commits';
import type { MessageLog, StoredMessage } from './message-log';
import { fromBase64url, toBase64url } from './mls/bytes';
import type { CommitChanges } from './mls/commit';
import type { MlsGroup } from './mls/group';
import { createGroup } from './mls/lifecycle';
import type { SessionService } from './session';
import type { Emitter } from './util/emitter';
import { randomId } from './util/ids';

/** A device of another account, ready to be added: one KeyPackage claimed from the server. */
interface ClaimedDevice {
  accountId: string;
  deviceId: string;
  keyPackage: Uint8Array;
}

/** A conversation as the SDK shows it. */
export interface ConversationSummary extends ConversationRecord {
  /** Accounts in the MLS group (ourselves included), from the group's tree. */
  members: string[];
  epoch: number;
  lastMessage?: StoredMessage;
}

export interface ConversationDeps {
  api: SignetApi;
  session: SessionService;
  device: DeviceService;
  conversations: ConversationStore;
  committer: GroupCommitter;
  log: MessageLog;
  contacts: ContactService;
  directory: CredentialDirectory;
  attachments: AttachmentService;
  events: Emitter<ClientEvents>;
}

/**
 * Conversations: creating direct and group chats (an MLS group registered with the server, members
 * added by a commit with their claimed KeyPackages and a Welcome), adding, removing, leaving, and sending.
 */
export class ConversationService {
  constructor(private readonly deps: ConversationDeps) {}

  /** The direct conversation with this account: the existing one, or a new one. */
  async direct(peerAccountId: string): Promise<ConversationRecord> {
    const existing = (await this.deps.conversations.list()).find(
      (c) => c.kind === 'direct' && c.peerAccountId === peerAccountId && c.status === 'active',
    );
    if (existing) return existing;
    if (peerAccountId === this.deps.session.require().accountId) {
      throw new SignetClientError('a direct conversation is with another account');
    }
    const claimed = await this.#claim([peerAccountId]);
    const record = await this.#create('direct', undefined, peerAccountId);
    await this.#add(record.conversationId, claimed);
    await this.deps.contacts.refresh(peerAccountId);
    await this.#introduce(record.conversationId);
    return record;
  }

  /** A new group with these accounts (each must be identified and have a device ready). */
  async createGroup(title: string, accountIds: string[]): Promise<ConversationRecord> {
    const claimed = await this.#claim(accountIds);
    const record = await this.#create('group', title, undefined);
    if (claimed.length > 0) await this.#add(record.conversationId, claimed);
    await this.send(record.conversationId, { type: 'group.info', title });
    for (const a of new Set(accountIds)) await this.deps.contacts.refresh(a);
    await this.#introduce(record.conversationId);
    return record;
  }

  async addMembers(conversationId: string, accountIds: string[]): Promise<void> {
    const record = await this.#require(conversationId);
    if (record.kind === 'direct') throw new SignetClientError('a direct conversation has exactly two members');
    const claimed = await this.#claim(accountIds);
    await this.#add(conversationId, claimed);
    for (const a of new Set(accountIds)) await this.deps.contacts.refresh(a);
    // Tells the new members the title (and everyone that the group is still called so).
    if (record.title) await this.send(conversationId, { type: 'group.info', title: record.title });
    await this.#introduce(conversationId);
  }

  /** Removes every device of these accounts; they read nothing sent afterwards. */
  async removeMembers(conversationId: string, accountIds: string[]): Promise<void> {
    await this.#require(conversationId);
    const gone = new Set(accountIds);
    await this.deps.committer.commit(conversationId, (group) => {
      const leaves = group.members.filter((m) => gone.has(m.accountId)).map((m) => m.leafIndex);
      return leaves.length > 0 ? { remove: leaves } : null;
    });
  }

  /**
   * Leaves: MLS lets no member commit its own removal, so this proposes it and the next member to commit
   * (normally at once) removes us. Until then the conversation is `leaving` and we send nothing.
   */
  async leave(conversationId: string): Promise<void> {
    await this.#require(conversationId);
    await this.deps.conversations.exclusive(conversationId, async () => {
      const group = await this.#member(conversationId);
      await this.deps.committer.recover(group);
      if (group.members.length === 1) {
        // Nobody left to commit it: we just stop using the group.
        await this.deps.conversations.updateRecord(conversationId, (r) => ({ ...r, status: 'removed' }));
        return;
      }
      await this.#proposeLeave(group);
      await this.deps.conversations.updateRecord(conversationId, (r) => ({ ...r, status: 'leaving' }));
    });
  }

  async sendText(conversationId: string, text: string): Promise<StoredMessage> {
    return this.send(conversationId, { type: 'text', text });
  }

  /** Encrypts and uploads the file, then sends a message carrying its key. */
  async sendAttachment(
    conversationId: string,
    bytes: Uint8Array,
    meta: AttachmentMeta & { caption?: string },
  ): Promise<StoredMessage> {
    const attachment = await this.deps.attachments.upload(conversationId, bytes, meta);
    return this.send(conversationId, {
      type: 'attachment',
      attachment,
      ...(meta.caption ? { caption: meta.caption } : {}),
    });
  }

  /**
   * Sends content as an MLS application message. Proposals waiting in the group are committed first
   * (MLS allows no application message before). A lost connection is retried with the same message id.
   */
  async send(conversationId: string, input: ContentInput): Promise<StoredMessage> {
    const record = await this.#require(conversationId);
    if (record.status !== 'active') throw new NotInConversationError(conversationId);
    for (;;) {
      const sent = await this.deps.conversations.exclusive(conversationId, async () => {
        const group = await this.#member(conversationId);
        await this.deps.committer.recover(group);
        if (group.pendingProposals.length > 0) return undefined;
        const content = newContent(input);
        const out = await group.encrypt(encodeContent(content));
        await this.deps.conversations.saveGroup(group);
        await sendWithRetry(() =>
          this.deps.api.send(conversationId, {
            clientMessageId: content.id,
            kind: 'application',
            epoch: Number(out.epoch),
            payload: toBase64url(out.payload),
          }),
        );
        const self = this.deps.session.require();
        const message: StoredMessage = {
          conversationId,
          id: content.id,
          senderAccountId: self.accountId,
          senderDeviceId: self.deviceId,
          outgoing: true,
          content,
          at: content.sentAt,
        };
        if (!isControlContent(content)) {
          await this.deps.log.append(message);
          await this.deps.conversations.updateRecord(conversationId, (r) => ({ ...r, lastMessageAt: content.sentAt }));
        }
        return message;
      });
      if (sent) return sent;
      await this.commitPending(conversationId);
    }
  }

  /** Commits the proposals waiting in the group (a member's leave, the server's removal of a retired account). */
  async commitPending(conversationId: string): Promise<void> {
    await this.deps.committer.commit(conversationId, (group) => (group.pendingProposals.length > 0 ? {} : null));
  }

  /**
   * Called by the inbox when proposals wait in a group. One member commits them at once — the one with the
   * lowest leaf among those staying, so that members do not race; the others commit before their next send.
   */
  onProposals(conversationId: string): void {
    void (async () => {
      const group = await this.deps.conversations.group(conversationId);
      const self = group?.self;
      if (!group || !self) return;
      const leaving = new Set(group.pendingProposals.flatMap((p) => (p.type === 'remove' ? [p.leafIndex] : [])));
      const staying = group.members.filter((m) => !leaving.has(m.leafIndex));
      if (staying[0]?.leafIndex !== self.leafIndex) return;
      await this.commitPending(conversationId);
    })().catch((error) => this.deps.events.emit('error', { error }));
  }

  /** Called by the inbox when a commit did not carry our leave proposal: it is made again. */
  onLeaveVoided(conversationId: string): void {
    void this.deps.conversations
      .exclusive(conversationId, async () => {
        const group = await this.deps.conversations.group(conversationId);
        if (group?.isMember && group.members.length > 1) await this.#proposeLeave(group);
      })
      .catch((error) => this.deps.events.emit('error', { error }));
  }

  async get(conversationId: string): Promise<ConversationSummary | undefined> {
    const record = await this.deps.conversations.record(conversationId);
    return record && this.#summary(record);
  }

  async list(): Promise<ConversationSummary[]> {
    const out: ConversationSummary[] = [];
    for (const record of await this.deps.conversations.list()) out.push(await this.#summary(record));
    return out;
  }

  messages(conversationId: string, limit?: number): Promise<StoredMessage[]> {
    return this.deps.log.list(conversationId, limit);
  }

  /** The server's view (members by account, epoch). */
  remote(conversationId: string): Promise<Conversation> {
    return this.deps.api.conversation(conversationId);
  }

  async #summary(record: ConversationRecord): Promise<ConversationSummary> {
    const group = await this.deps.conversations.group(record.conversationId);
    const lastMessage = await this.deps.log.last(record.conversationId);
    return {
      ...record,
      members: group ? [...new Set(group.members.map((m) => m.accountId))] : [],
      epoch: group ? Number(group.epoch) : 0,
      ...(lastMessage ? { lastMessage } : {}),
    };
  }

  async #create(kind: 'direct' | 'group', title: string | undefined, peer: string | undefined) {
    const { device, conversations, api } = this.deps;
    this.deps.session.assertIdentified();
    await device.credential();
    const group = await createGroup(await device.context(), await device.keys());
    await api.createConversation(group.conversationId, kind);
    await conversations.saveGroup(group);
    const record: ConversationRecord = {
      conversationId: group.conversationId,
      kind,
      ...(title ? { title } : {}),
      ...(peer ? { peerAccountId: peer } : {}),
      status: 'active',
      createdAt: Date.now(),
    };
    await conversations.saveRecord(record);
    return record;
  }

  /** One KeyPackage per device of each account, their credentials remembered (and checked) for the commit. */
  async #claim(accountIds: string[]): Promise<ClaimedDevice[]> {
    const self = this.deps.session.require().accountId;
    const out: ClaimedDevice[] = [];
    for (const accountId of new Set(accountIds)) {
      if (accountId === self) continue;
      let claim: Awaited<ReturnType<SignetApi['claimKeyPackages']>>;
      try {
        claim = await this.deps.api.claimKeyPackages(accountId);
      } catch (error) {
        if (error instanceof SignetApiError && error.status === 404) throw new RecipientUnavailableError(accountId);
        throw error;
      }
      if (claim.devices.length === 0) throw new NoDevicesError(accountId);
      await this.deps.directory.remember(claim.devices.map((d) => d.credential));
      for (const d of claim.devices) {
        out.push({ accountId, deviceId: d.deviceId, keyPackage: fromBase64url(d.keyPackage) });
      }
    }
    return out;
  }

  /** Adds the claimed devices not in the group yet; the same KeyPackages serve every retry. */
  async #add(conversationId: string, claimed: ClaimedDevice[]): Promise<void> {
    await this.deps.committer.commit(conversationId, (group): CommitChanges | null => {
      const present = new Set(group.members.map((m) => `${m.accountId}/${m.deviceId}`));
      const add = claimed.filter((c) => !present.has(`${c.accountId}/${c.deviceId}`)).map((c) => c.keyPackage);
      return add.length > 0 || group.pendingProposals.length > 0 ? { add } : null;
    });
  }

  /** Tells the members the numbers this device knows (its own too): the server never says whose an account is. */
  async #introduce(conversationId: string): Promise<void> {
    const self = this.deps.session.require();
    const group = await this.deps.conversations.group(conversationId);
    const contacts: ContactCard[] = [{ accountId: self.accountId, phoneNumber: self.phoneNumber }];
    for (const accountId of new Set(group?.members.map((m) => m.accountId))) {
      const phoneNumber =
        accountId === self.accountId ? undefined : (await this.deps.contacts.get(accountId))?.phoneNumber;
      if (phoneNumber) contacts.push({ accountId, phoneNumber });
    }
    await this.send(conversationId, { type: 'contacts', contacts });
  }

  async #proposeLeave(group: MlsGroup): Promise<void> {
    const out = await group.proposeLeave();
    await this.deps.conversations.saveGroup(group);
    await sendWithRetry(() =>
      this.deps.api.send(group.conversationId, {
        clientMessageId: randomId(),
        kind: 'proposal',
        epoch: Number(out.epoch),
        payload: toBase64url(out.payload),
      }),
    );
  }

  async #require(conversationId: string): Promise<ConversationRecord> {
    const record = await this.deps.conversations.record(conversationId);
    if (!record) throw new UnknownConversationError(conversationId);
    return record;
  }

  async #member(conversationId: string): Promise<MlsGroup> {
    const group = await this.deps.conversations.group(conversationId);
    if (!group) throw new UnknownConversationError(conversationId);
    if (!group.isMember) throw new NotInConversationError(conversationId);
    return group;
  }
}
