import type { Clock, Logger } from '@signet/common';
import type { InboxFrame, MessageAccepted, SendMessage } from '@signet/protocol';
import { type Kysely, sql } from 'kysely';
import type { AuthenticatedDevice } from '../accounts/account-manager';
import { type AccountNotifier, deviceTopic } from '../accounts/notifier';
import type { Broker } from '../adapters/broker/broker';
import type { Schema, ServerDatabase } from '../db';
import { GroupCommit } from '../db/group-commit';
import type { MessagesTable } from '../db/schema/messaging';
import { ApiError, invalidArgument } from '../errors';
import type { IdentificationGate } from '../identification/gate';
import type { Blocks } from './blocks';
import type { Conversations } from './conversations';
import { forgetRemoved, type RemovalSigner, recordLeaves, removalsDue } from './removals';

export interface MessagingSettings {
  maxGroupSize: number;
  /** Largest payload, in base64url characters. */
  maxPayload: number;
  /** Undelivered messages expire after this long. */
  retentionMs: number;
}

/** What travels on `device.<id>` topics when a message is stored for a device: enough to push it at once. */
export interface InboxNotice {
  inbox: InboxFrame;
}

interface Recipient {
  deviceId: string;
  accountId: string;
}

/**
 * Durable delivery: a send is stored (message once, an inbox entry per recipient device) before it is
 * acknowledged; commits are ordered per group by epoch; then online devices are told. Concurrent sends and
 * acknowledgements share transactions (group commit), each still stored or refused on its own.
 */
export class Delivery {
  private readonly commits: GroupCommit;

  constructor(
    private readonly db: ServerDatabase,
    private readonly clock: Clock,
    private readonly settings: MessagingSettings,
    private readonly gate: IdentificationGate,
    private readonly blocks: Blocks,
    private readonly conversations: Conversations,
    private readonly broker: Broker,
    private readonly notifier: AccountNotifier,
    private readonly signRemoval: RemovalSigner,
    private readonly log: Logger,
  ) {
    this.commits = new GroupCommit(db);
  }

  async send(auth: AuthenticatedDevice, conversationId: string, input: SendMessage): Promise<MessageAccepted> {
    if (input.payload.length > this.settings.maxPayload || (input.welcome?.length ?? 0) > this.settings.maxPayload) {
      throw new ApiError(413, 'TOO_LARGE', `a message holds at most ${this.settings.maxPayload} base64url characters`);
    }
    if (input.kind !== 'commit' && (input.add || input.remove || input.welcome)) {
      throw invalidArgument('only a commit adds or removes members');
    }
    if (input.add?.length && !input.welcome) throw invalidArgument('a commit that adds members carries their Welcome');

    const now = this.clock.now();
    const frames: Outgoing[] = [];
    let proposeRemovals = false;
    let accepted: MessageAccepted;
    try {
      accepted = await this.commits.run(async (tx) => {
        // Inside the transaction: a read outside it would wait for the commit under way, and add a round.
        const repeat = await this.previous(tx, auth.deviceId, input.clientMessageId);
        if (repeat) return repeat;
        await this.gate.assertCanSend(auth.accountId, tx);
        const { conversation: conv, members } = await this.conversations.audience(tx, conversationId, auth.accountId);
        const before = [...members.keys()];
        let epoch = conv.epoch;
        if (input.kind === 'commit') {
          if (input.epoch !== conv.epoch) throw epochConflict(conv.epoch);
          const moved = await tx
            .updateTable('conversations')
            .set({ epoch: conv.epoch + 1 })
            .where('id', '=', conversationId)
            .where('epoch', '=', conv.epoch)
            .executeTakeFirst();
          if (moved.numUpdatedRows === 0n) throw epochConflict(conv.epoch + 1);
          epoch = conv.epoch + 1;
          await this.changeMembers(tx, auth, conv.kind, conversationId, before, input, now);
          // A commit voids the proposals of its epoch: removals it did not carry out are proposed again.
          proposeRemovals = await removalsDue(tx, conversationId, epoch);
        } else if (input.epoch > conv.epoch) {
          throw invalidArgument(`epoch ${input.epoch} is ahead of the conversation's epoch ${conv.epoch}`);
        }
        if (conv.kind === 'direct' && input.kind === 'application') {
          this.gate.assertStatesCanReceive(
            [...members].filter(([id]) => id !== auth.accountId).map(([id, m]) => ({ id, state: m.state })),
          );
        }
        // Every device of the members but the sending one: removed members get the commit that removes them
        // (added ones get the Welcome instead), and application messages skip accounts that block the sender.
        const recipients = [...members].flatMap(([accountId, m]) =>
          input.kind === 'application' && m.blocksSender
            ? []
            : m.devices.filter((d) => d !== auth.deviceId).map((deviceId) => ({ deviceId, accountId })),
        );
        const welcomed = input.welcome && input.add?.length ? await this.devicesOf(tx, input.add) : [];
        const seqs = await claimSeqs(tx, [...recipients, ...welcomed]);
        const message = { conversationId, sender: auth, kind: input.kind, epoch: input.epoch, now };
        const messageId = await this.store(
          tx,
          { ...message, clientMessageId: input.clientMessageId, payload: input.payload },
          recipients,
          seqs,
          frames,
        );
        if (input.welcome && welcomed.length > 0) {
          const welcome = {
            ...message,
            kind: 'welcome' as const,
            epoch,
            clientMessageId: null,
            payload: input.welcome,
          };
          await this.store(tx, welcome, welcomed, seqs, frames);
        }
        await tx
          .insertInto('send_receipts')
          .values({
            device_id: auth.deviceId,
            client_message_id: input.clientMessageId,
            message_id: messageId,
            epoch,
            expires_at: now + this.settings.retentionMs,
          })
          .execute();
        return { messageId, epoch, duplicate: false };
      });
    } catch (error) {
      // Two retries of the same send raced: the other one stored it.
      const raced = (error as { code?: string }).code
        ? await this.previous(this.db.db, auth.deviceId, input.clientMessageId)
        : undefined;
      if (raced) return raced;
      throw error;
    }
    await this.publish(frames);
    if (proposeRemovals && !accepted.duplicate) await this.proposeRemovals(conversationId);
    return accepted;
  }

  private async publish(frames: Outgoing[]): Promise<void> {
    for (const out of frames) {
      const notice: InboxNotice = { inbox: out.frame };
      await this.broker.publish(deviceTopic(out.deviceId), notice);
    }
  }

  /**
   * Proposes, as every group's external sender, the removal of retired accounts' devices that no proposal
   * at the group's current epoch covers yet; all of a conversation's, or every conversation's. A member's
   * next commit carries them out. Answers how many proposals it stored.
   */
  async proposeRemovals(conversationId?: string): Promise<number> {
    const due = await this.db.db
      .selectFrom('pending_removals')
      .innerJoin('conversations', 'conversations.id', 'pending_removals.conversation_id')
      .select([
        'pending_removals.conversation_id',
        'pending_removals.device_id',
        'pending_removals.account_id',
        'pending_removals.leaf_index',
        'conversations.epoch',
      ])
      .where((eb) =>
        eb.or([
          eb('pending_removals.proposed_epoch', 'is', null),
          eb('pending_removals.proposed_epoch', '<', eb.ref('conversations.epoch')),
        ]),
      )
      .$if(conversationId !== undefined, (q) =>
        q.where('pending_removals.conversation_id', '=', conversationId as string),
      )
      .orderBy('pending_removals.conversation_id')
      .limit(1000)
      .execute();
    const byConversation = new Map<string, typeof due>();
    for (const r of due) byConversation.set(r.conversation_id, [...(byConversation.get(r.conversation_id) ?? []), r]);
    let stored = 0;
    for (const [id, rows] of byConversation) {
      const epoch = (rows[0] as (typeof rows)[number]).epoch;
      const payloads = await Promise.all(
        rows.map((r) =>
          this.signRemoval({
            groupId: new Uint8Array(Buffer.from(id, 'base64url')),
            epoch: BigInt(epoch),
            leafIndex: r.leaf_index,
            device: { accountId: r.account_id, deviceId: r.device_id },
          }),
        ),
      );
      const frames: Outgoing[] = [];
      const now = this.clock.now();
      const done = await this.commits.run(async (tx) => {
        // A commit in the meantime voided these: the next round makes them for its epoch.
        const current = await tx.selectFrom('conversations').select('epoch').where('id', '=', id).executeTakeFirst();
        if (current?.epoch !== epoch) return false;
        const recipients = await this.devicesOf(tx, await this.conversations.memberIds(tx, id));
        const seqs = await claimSeqs(
          tx,
          payloads.flatMap(() => recipients),
        );
        for (const payload of payloads) {
          const message = { conversationId: id, sender: null, clientMessageId: null, kind: 'proposal' as const };
          await this.store(
            tx,
            { ...message, epoch, payload: Buffer.from(payload).toString('base64url'), now },
            recipients,
            seqs,
            frames,
          );
        }
        await tx
          .updateTable('pending_removals')
          .set({ proposed_epoch: epoch })
          .where('conversation_id', '=', id)
          .where(
            'device_id',
            'in',
            rows.map((r) => r.device_id),
          )
          .execute();
        return true;
      });
      if (!done) continue;
      stored += payloads.length;
      await this.publish(frames);
      this.log.info({ conversationId: id, devices: rows.length, epoch }, 'proposed the removal of retired devices');
    }
    return stored;
  }

  private async changeMembers(
    tx: Kysely<Schema>,
    auth: AuthenticatedDevice,
    kind: 'direct' | 'group',
    conversationId: string,
    before: string[],
    input: SendMessage,
    now: number,
  ): Promise<void> {
    const add = [...new Set(input.add ?? [])].filter((a) => !before.includes(a));
    const remove = [...new Set(input.remove ?? [])].filter((a) => before.includes(a));
    if (add.length > 0) {
      await this.gate.assertCanReachOut(auth.accountId, tx);
      await this.gate.assertCanReceive(add, tx);
      // A blocked user cannot add the blocker; said without naming the block.
      if ((await this.blocks.blockersOf(auth.accountId, add, tx)).size > 0) {
        throw new ApiError(403, 'CANNOT_ADD', 'one of these accounts cannot be added');
      }
      const size = before.length - remove.length + add.length;
      if (kind === 'direct' && size > 2) {
        throw invalidArgument('a one-to-one conversation has two members; start a group to talk with more');
      }
      if (size > this.settings.maxGroupSize) {
        throw new ApiError(413, 'TOO_LARGE', `a group has at most ${this.settings.maxGroupSize} members`);
      }
      await tx
        .insertInto('conversation_members')
        .values(add.map((a) => ({ conversation_id: conversationId, account_id: a, joined_at: now })))
        .execute();
    }
    if (remove.length > 0) {
      await tx
        .deleteFrom('conversation_members')
        .where('conversation_id', '=', conversationId)
        .where('account_id', 'in', remove)
        .execute();
    }
    // Removed before: a retired account has left the members already, and its pending removal is done now.
    await forgetRemoved(tx, conversationId, [...new Set(input.remove ?? [])]);
    await recordLeaves(tx, conversationId, input.leaves ?? [], await this.conversations.memberIds(tx, conversationId));
  }

  private async devicesOf(tx: Kysely<Schema>, accounts: string[]): Promise<Recipient[]> {
    if (accounts.length === 0) return [];
    const rows = await tx
      .selectFrom('devices')
      .select(['id', 'account_id'])
      .where('account_id', 'in', accounts)
      .execute();
    return rows.map((r) => ({ deviceId: r.id, accountId: r.account_id }));
  }

  /** Stores a message once and an inbox entry for each recipient device, numbered from `seqs`. */
  private async store(
    tx: Kysely<Schema>,
    message: StoredMessage,
    recipients: Recipient[],
    seqs: SeqClaim,
    frames: Outgoing[],
  ): Promise<number> {
    const { conversationId, sender, clientMessageId, kind, epoch, payload, now } = message;
    const inserted = await tx
      .insertInto('messages')
      .values({
        conversation_id: conversationId,
        sender_account_id: sender?.accountId ?? null,
        sender_device_id: sender?.deviceId ?? null,
        client_message_id: clientMessageId,
        kind,
        epoch,
        payload,
        created_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const messageId = Number(inserted.id);
    if (recipients.length === 0) return messageId;
    const entries = recipients.map((r) => ({
      device_id: r.deviceId,
      seq: seqs.next(r.deviceId),
      account_id: r.accountId,
      message_id: messageId,
      kind,
      expires_at: now + this.settings.retentionMs,
    }));
    await tx.insertInto('inbox').values(entries).execute();
    for (const e of entries) {
      frames.push({
        deviceId: e.device_id,
        frame: {
          type: 'message',
          seq: e.seq,
          conversationId,
          kind,
          epoch,
          senderAccountId: sender?.accountId ?? null,
          senderDeviceId: sender?.deviceId ?? null,
          clientMessageId,
          payload,
          sentAt: now,
        },
      });
    }
    return messageId;
  }

  private async previous(
    db: Kysely<Schema>,
    deviceId: string,
    clientMessageId: string,
  ): Promise<MessageAccepted | undefined> {
    const row = await db
      .selectFrom('send_receipts')
      .select(['message_id', 'epoch'])
      .where('device_id', '=', deviceId)
      .where('client_message_id', '=', clientMessageId)
      .executeTakeFirst();
    return row ? { messageId: Number(row.message_id), epoch: row.epoch, duplicate: true } : undefined;
  }

  /** Entries of a device's inbox after `afterSeq`, oldest first. */
  async pending(deviceId: string, afterSeq: number, limit: number): Promise<InboxFrame[]> {
    const rows = await this.db.db
      .selectFrom('inbox')
      .innerJoin('messages', 'messages.id', 'inbox.message_id')
      .select([
        'inbox.seq',
        'messages.conversation_id',
        'messages.kind',
        'messages.epoch',
        'messages.sender_account_id',
        'messages.sender_device_id',
        'messages.client_message_id',
        'messages.payload',
        'messages.created_at',
      ])
      .where('inbox.device_id', '=', deviceId)
      .where('inbox.seq', '>', afterSeq)
      .orderBy('inbox.seq')
      .limit(limit)
      .execute();
    return rows.map((r) => ({
      type: 'message' as const,
      seq: Number(r.seq),
      conversationId: r.conversation_id,
      kind: r.kind,
      epoch: r.epoch,
      senderAccountId: r.sender_account_id,
      senderDeviceId: r.sender_device_id,
      clientMessageId: r.client_message_id,
      payload: r.payload,
      sentAt: r.created_at,
    }));
  }

  /**
   * Deletes what a device acknowledged: everything up to `seq`. An application message whose last inbox entry
   * this removes has reached every device it was queued for: its sender's account is told (`message.delivered`).
   */
  async acknowledge(deviceId: string, seq: number): Promise<void> {
    const sqlite = this.db.dialect === 'sqlite';
    const { removed, delivered } = await this.commits.run(async (tx) => {
      const rows = await tx
        .deleteFrom('inbox')
        .where('device_id', '=', deviceId)
        .where('seq', '<=', seq)
        .returning(['message_id', 'kind'])
        .execute();
      const removed = [...new Set(rows.filter((r) => r.kind === 'application').map((r) => Number(r.message_id)))];
      // SQLite runs one transaction at a time: every other acknowledgement's delete is visible here already.
      return { removed, delivered: sqlite && removed.length > 0 ? await takeDelivered(tx, removed) : [] };
    });
    if (removed.length === 0) return;
    // PostgreSQL: within the transaction, two devices acknowledging one message at once would each still see
    // the other's entry, and neither would tell. After the commit, the later one sees none left; if both do,
    // deleting the message row lets only one of them claim it.
    const done = sqlite
      ? delivered
      : await takeDelivered(this.db.db, removed).catch((error: unknown) => {
          // The acknowledgement is stored: failing it now would only have it sent again, to find nothing.
          this.log.warn({ err: error, deviceId }, 'could not look for delivered messages');
          return [];
        });
    if (done.length > 0) await this.tellDelivered(done);
  }

  private async tellDelivered(messages: DeliveredMessage[]): Promise<void> {
    const at = this.clock.now();
    const batches = new Map<string, { accountId: string; conversationId: string; clientMessageIds: string[] }>();
    for (const m of messages) {
      const key = `${m.sender_account_id} ${m.conversation_id}`;
      const batch = batches.get(key) ?? {
        accountId: m.sender_account_id,
        conversationId: m.conversation_id,
        clientMessageIds: [],
      };
      batch.clientMessageIds.push(m.client_message_id);
      batches.set(key, batch);
    }
    for (const { accountId, conversationId, clientMessageIds } of batches.values()) {
      // The acknowledgement is stored whatever happens to the news of it.
      await this.notifier
        .notify(accountId, { type: 'message.delivered', conversationId, clientMessageIds, at })
        .catch((error: unknown) => this.log.warn({ err: error, accountId }, 'could not tell a delivery'));
    }
  }

  /** Expires undelivered entries past the retention period and drops messages nobody waits for. */
  async sweep(): Promise<void> {
    const now = this.clock.now();
    await this.db.db.deleteFrom('inbox').where('expires_at', '<', now).execute();
    await this.db.db.deleteFrom('send_receipts').where('expires_at', '<', now).execute();
    await this.db.db
      .deleteFrom('messages')
      .where('created_at', '<', now - 60_000)
      .where((eb) =>
        eb.not(eb.exists(eb.selectFrom('inbox').select('inbox.seq').whereRef('inbox.message_id', '=', 'messages.id'))),
      )
      .execute();
    this.log.debug('inbox swept');
  }
}

interface DeliveredMessage {
  conversation_id: string;
  sender_account_id: string;
  client_message_id: string;
}

/**
 * Of these application messages, deletes those no inbox entry waits for any more, and answers them: each has
 * been acknowledged by every device it was queued for (the sweep would drop their rows anyway). Entries that
 * expire go all at once, as every entry of a message expires at the same time, so an expired message is never
 * found here. Deleting the row is what makes a message delivered once, however many acknowledgements race.
 */
async function takeDelivered(db: Kysely<Schema>, messageIds: number[]): Promise<DeliveredMessage[]> {
  const rows = await db
    .deleteFrom('messages')
    .where('id', 'in', messageIds)
    .where((eb) =>
      eb.not(eb.exists(eb.selectFrom('inbox').select('inbox.seq').whereRef('inbox.message_id', '=', 'messages.id'))),
    )
    .returning(['conversation_id', 'sender_account_id', 'client_message_id'])
    .execute();
  return rows.flatMap((r) =>
    r.sender_account_id && r.client_message_id
      ? [
          {
            conversation_id: r.conversation_id,
            sender_account_id: r.sender_account_id,
            client_message_id: r.client_message_id,
          },
        ]
      : [],
  );
}

interface Outgoing {
  deviceId: string;
  frame: InboxFrame;
}

interface StoredMessage {
  conversationId: string;
  /** Null for what the server itself sends (its Remove proposals). */
  sender: AuthenticatedDevice | null;
  clientMessageId: string | null;
  kind: MessagesTable['kind'];
  epoch: number;
  payload: string;
  now: number;
}

/** Inbox seqs claimed for one send: `next(device)` gives that device's next one. */
interface SeqClaim {
  next(deviceId: string): number;
}

/**
 * Claims the next inbox seqs of the recipients (a device may appear more than once) by advancing their
 * counters. The counter rows stay locked until the transaction ends, so a device's entries commit in the
 * order of their seqs, and a device that has seen seq N has seen every entry below it. The rows are taken
 * in one order, by device id, so that two sends to overlapping audiences cannot deadlock.
 */
async function claimSeqs(tx: Kysely<Schema>, recipients: readonly Recipient[]): Promise<SeqClaim> {
  const counts = new Map<string, number>();
  for (const r of recipients) counts.set(r.deviceId, (counts.get(r.deviceId) ?? 0) + 1);
  const next = new Map<string, number>();
  if (counts.size > 0) {
    const heads = await tx
      .insertInto('inbox_heads')
      .values([...counts].sort(([a], [b]) => (a < b ? -1 : 1)).map(([device_id, n]) => ({ device_id, seq: n })))
      .onConflict((oc) => oc.column('device_id').doUpdateSet({ seq: sql`inbox_heads.seq + excluded.seq` }))
      .returning(['device_id', 'seq'])
      .execute();
    for (const h of heads) next.set(h.device_id, Number(h.seq) - (counts.get(h.device_id) as number) + 1);
  }
  return {
    next(deviceId) {
      const seq = next.get(deviceId);
      if (seq === undefined) throw new Error(`no inbox seq claimed for device ${deviceId}`);
      next.set(deviceId, seq + 1);
      return seq;
    },
  };
}

function epochConflict(current: number): ApiError {
  return new ApiError(409, 'EPOCH_CONFLICT', `another commit won; the conversation is at epoch ${current}`, {
    epoch: current,
  });
}
