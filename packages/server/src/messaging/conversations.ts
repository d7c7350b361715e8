import type { Clock } from '@signet/common';
import type { Conversation, CreateConversation } from '@signet/protocol';
import type { Kysely, Selectable } from 'kysely';
import type { AuthenticatedDevice } from '../accounts/account-manager';
import type { Schema, ServerDatabase } from '../db';
import type { ConversationsTable } from '../db/schema/messaging';
import { ApiError, conflict, notFound } from '../errors';
import type { IdentificationGate } from '../identification/gate';

export type ConversationRow = Selectable<ConversationsTable>;

/** Account-level membership of MLS groups, for authorisation and fan-out; the group itself lives in clients. */
export class Conversations {
  constructor(
    private readonly db: ServerDatabase,
    private readonly clock: Clock,
    private readonly gate: IdentificationGate,
  ) {}

  async create(auth: AuthenticatedDevice, input: CreateConversation): Promise<Conversation> {
    await this.gate.assertCanReachOut(auth.accountId);
    const now = this.clock.now();
    const exists = await this.db.db
      .selectFrom('conversations')
      .select('id')
      .where('id', '=', input.conversationId)
      .executeTakeFirst();
    if (exists) throw conflict('a conversation with this id exists');
    await this.db.transaction(async (tx) => {
      await tx
        .insertInto('conversations')
        .values({ id: input.conversationId, kind: input.kind, epoch: 0, created_by: auth.accountId, created_at: now })
        .execute();
      await tx
        .insertInto('conversation_members')
        .values({ conversation_id: input.conversationId, account_id: auth.accountId, joined_at: now })
        .execute();
      // The creator's device is the group's first leaf.
      await tx
        .insertInto('group_leaves')
        .values({
          conversation_id: input.conversationId,
          device_id: auth.deviceId,
          account_id: auth.accountId,
          leaf_index: 0,
        })
        .execute();
    });
    return {
      conversationId: input.conversationId,
      kind: input.kind,
      epoch: 0,
      members: [auth.accountId],
      createdAt: now,
    };
  }

  async list(auth: AuthenticatedDevice): Promise<Conversation[]> {
    const rows = await this.db.db
      .selectFrom('conversations')
      .innerJoin('conversation_members as mine', 'mine.conversation_id', 'conversations.id')
      .selectAll('conversations')
      .where('mine.account_id', '=', auth.accountId)
      .orderBy('conversations.created_at')
      .execute();
    const members = await this.membersOf(rows.map((r) => r.id));
    return rows.map((r) => ({
      conversationId: r.id,
      kind: r.kind,
      epoch: r.epoch,
      members: members.get(r.id) ?? [],
      createdAt: r.created_at,
    }));
  }

  async get(auth: AuthenticatedDevice, conversationId: string): Promise<Conversation> {
    const row = await this.requireMember(this.db.db, conversationId, auth.accountId);
    const members = await this.membersOf([conversationId]);
    return {
      conversationId,
      kind: row.kind,
      epoch: row.epoch,
      members: members.get(conversationId) ?? [],
      createdAt: row.created_at,
    };
  }

  /** The conversation, if the account is a member; a clear error otherwise. */
  async requireMember(db: Kysely<Schema>, conversationId: string, accountId: string): Promise<ConversationRow> {
    const row = await db.selectFrom('conversations').selectAll().where('id', '=', conversationId).executeTakeFirst();
    if (!row) throw notFound('no such conversation');
    const member = await db
      .selectFrom('conversation_members')
      .select('account_id')
      .where('conversation_id', '=', conversationId)
      .where('account_id', '=', accountId)
      .executeTakeFirst();
    if (!member) throw notAMember();
    return row;
  }

  /** The conversation and its members, if the account is one of them (one read fewer than both calls). */
  /**
   * What a send needs to know of a conversation, in two reads: the conversation, and each member with its
   * state, its devices and whether it blocks the sender. Throws unless the sender is a member.
   */
  async audience(db: Kysely<Schema>, conversationId: string, sender: string): Promise<Audience> {
    const conversation = await db
      .selectFrom('conversations')
      .selectAll()
      .where('id', '=', conversationId)
      .executeTakeFirst();
    if (!conversation) throw notFound('no such conversation');
    const rows = await db
      .selectFrom('conversation_members as m')
      .innerJoin('accounts as a', 'a.id', 'm.account_id')
      .leftJoin('devices as d', 'd.account_id', 'm.account_id')
      .select((eb) => [
        'm.account_id',
        'a.state',
        'd.id as device_id',
        eb
          .exists(
            eb
              .selectFrom('blocks as b')
              .select('b.blocker_id')
              .whereRef('b.blocker_id', '=', 'm.account_id')
              .where('b.blocked_id', '=', sender),
          )
          .as('blocks_sender'),
      ])
      .where('m.conversation_id', '=', conversationId)
      .execute();
    const members = new Map<string, AudienceMember>();
    for (const r of rows) {
      let member = members.get(r.account_id);
      if (!member) {
        // SQLite answers EXISTS with 0 or 1, PostgreSQL with a boolean.
        member = { state: r.state, blocksSender: Boolean(Number(r.blocks_sender)), devices: [] };
        members.set(r.account_id, member);
      }
      if (r.device_id) member.devices.push(r.device_id);
    }
    if (!members.has(sender)) throw notAMember();
    return { conversation, members };
  }

  async memberIds(db: Kysely<Schema>, conversationId: string): Promise<string[]> {
    const rows = await db
      .selectFrom('conversation_members')
      .select('account_id')
      .where('conversation_id', '=', conversationId)
      .execute();
    return rows.map((r) => r.account_id);
  }

  private async membersOf(ids: string[]): Promise<Map<string, string[]>> {
    const out = new Map<string, string[]>();
    if (ids.length === 0) return out;
    const rows = await this.db.db
      .selectFrom('conversation_members')
      .select(['conversation_id', 'account_id'])
      .where('conversation_id', 'in', ids)
      .orderBy('joined_at')
      .execute();
    for (const r of rows) out.set(r.conversation_id, [...(out.get(r.conversation_id) ?? []), r.account_id]);
    return out;
  }
}

export interface AudienceMember {
  state: string;
  /** Whether this member blocks the sender. */
  blocksSender: boolean;
  devices: string[];
}

export interface Audience {
  conversation: ConversationRow;
  members: Map<string, AudienceMember>;
}

function notAMember(): ApiError {
  return new ApiError(403, 'NOT_A_MEMBER', 'you are not a member of this conversation');
}
