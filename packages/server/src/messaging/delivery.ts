import type { Clock, Logger } from '@signet/common';
import type { InboxFrame, MessageAccepted, SendMessage } from '@signet/protocol';
import type { Kysely } from 'kysely';
import type { AuthenticatedDevice } from '../accounts/account-manager';
import { deviceTopic } from '../accounts/notifier';
import type { Broker } from '../adapters/broker/broker';
import type { Schema, ServerDatabase } from '../db';
import { GroupCommit } from '../db/group-commit';
import type { MessagesTable } from '../db/schema/messaging';
import { ApiError, invalidArgument } from '../errors';
import type { IdentificationGate } from '../identification/gate';
import type { Blocks } from './blocks';
import type { Conversations } from './conversations';

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
    let accepted: MessageAccepted;
    try {
      accepted = await this.commits.run(async (tx) => {
        // Inside the transaction: a read outside it would wait for the commit under way, and add a round.
        const repeat = await this.previous(tx, auth.deviceId, input.clientMessageId);
        if (repeat) return repeat;
        await this.gate.assertCanSend(auth.accountId, tx);
        const { conversation: conv, members: before } = await this.conversations.requireMembers(
          tx,
          conversationId,
          auth.accountId,
        );
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
        } else if (input.epoch > conv.epoch) {
          throw invalidArgument(`epoch ${input.epoch} is ahead of the conversation's epoch ${conv.epoch}`);
        }
        const after = input.kind === 'commit' ? await this.conversations.memberIds(tx, conversationId) : before;
        // Removed members get the commit that removes them; added ones get the Welcome instead.
        const audience = input.kind === 'commit' ? before : after;
        if (conv.kind === 'direct' && input.kind === 'application') {
          await this.gate.assertCanReceive(
            after.filter((a) => a !== auth.accountId),
            tx,
          );
        }
        const recipients = await this.recipients(tx, auth, audience, input.kind === 'application');
        const messageId = await this.store(
          tx,
          conversationId,
          auth,
          input.clientMessageId,
          input.kind,
          input.epoch,
          input.payload,
          recipients,
          now,
          frames,
        );
        if (input.welcome && input.add?.length) {
          const welcomed = await this.devicesOf(tx, input.add);
          await this.store(tx, conversationId, auth, null, 'welcome', epoch, input.welcome, welcomed, now, frames);
        }
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
    for (const out of frames) {
      const notice: InboxNotice = { inbox: out.frame };
      await this.broker.publish(deviceTopic(out.deviceId), notice);
    }
    return accepted;
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
      await this.gate.assertCanReceive(add, tx);
      // A blocked user cannot add the blocker; said without naming the block.
      if ((await this.blocks.blockersOf(auth.accountId, add, tx)).size > 0) {
        throw new ApiError(403, 'CANNOT_ADD', 'one of these accounts cannot be added');
      }
      const size = before.length - remove.length + add.length;
      const max = kind === 'direct' ? 2 : this.settings.maxGroupSize;
      if (size > max) throw new ApiError(413, 'TOO_LARGE', `a ${kind} conversation has at most ${max} members`);
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
  }

  /** Every device of the audience but the sending one; application messages skip accounts that block the sender. */
  private async recipients(
    tx: Kysely<Schema>,
    auth: AuthenticatedDevice,
    audience: string[],
    application: boolean,
  ): Promise<Recipient[]> {
    const blockers = application ? await this.blocks.blockersOf(auth.accountId, audience, tx) : new Set<string>();
    const devices = await this.devicesOf(
      tx,
      audience.filter((a) => !blockers.has(a)),
    );
    return devices.filter((d) => d.deviceId !== auth.deviceId);
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

  private async store(
    tx: Kysely<Schema>,
    conversationId: string,
    auth: AuthenticatedDevice,
    clientMessageId: string | null,
    kind: MessagesTable['kind'],
    epoch: number,
    payload: string,
    recipients: Recipient[],
    now: number,
    frames: Outgoing[],
  ): Promise<number> {
    const inserted = await tx
      .insertInto('messages')
      .values({
        conversation_id: conversationId,
        sender_account_id: auth.accountId,
        sender_device_id: auth.deviceId,
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
    const seqs = await tx
      .insertInto('inbox')
      .values(
        recipients.map((r) => ({
          device_id: r.deviceId,
          account_id: r.accountId,
          message_id: messageId,
          kind,
          expires_at: now + this.settings.retentionMs,
        })),
      )
      .returning(['seq', 'device_id'])
      .execute();
    for (const s of seqs) {
      frames.push({
        deviceId: s.device_id,
        frame: {
          type: 'message',
          seq: Number(s.seq),
          conversationId,
          kind,
          epoch,
          senderAccountId: auth.accountId,
          senderDeviceId: auth.deviceId,
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
      .selectFrom('messages')
      .select(['id', 'epoch', 'kind'])
      .where('sender_device_id', '=', deviceId)
      .where('client_message_id', '=', clientMessageId)
      .executeTakeFirst();
    return row ? { messageId: Number(row.id), epoch: row.epoch, duplicate: true } : undefined;
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

  /** Deletes what a device acknowledged: everything up to `seq`. */
  async acknowledge(deviceId: string, seq: number): Promise<void> {
    await this.commits.run((tx) =>
      tx.deleteFrom('inbox').where('device_id', '=', deviceId).where('seq', '<=', seq).execute(),
    );
  }

  /** Expires undelivered entries past the retention period and drops messages nobody waits for. */
  async sweep(): Promise<void> {
    const now = this.clock.now();
    await this.db.db.deleteFrom('inbox').where('expires_at', '<', now).execute();
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

interface Outgoing {
  deviceId: string;
  frame: InboxFrame;
}

function epochConflict(current: number): ApiError {
  return new ApiError(409, 'EPOCH_CONFLICT', `another commit won; the conversation is at epoch ${current}`, {
    epoch: current,
  });
}
