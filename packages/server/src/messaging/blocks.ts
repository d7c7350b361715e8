import type { Clock } from '@signet/common';
import { OFFICIAL_NOTICES_ID } from '@signet/protocol';
import type { Kysely } from 'kysely';
import type { AuthenticatedDevice } from '../accounts/account-manager';
import type { Schema, ServerDatabase } from '../db';
import { ApiError, invalidArgument } from '../errors';

/** "Refuse messages from this user": a private list per account, enforced by the server. */
export class Blocks {
  constructor(
    private readonly db: ServerDatabase,
    private readonly clock: Clock,
  ) {}

  async block(auth: AuthenticatedDevice, accountId: string): Promise<void> {
    if (accountId === auth.accountId) throw invalidArgument('you cannot block yourself');
    await this.refuseNotices(accountId);
    await this.db.db
      .insertInto('blocks')
      .values({ blocker_id: auth.accountId, blocked_id: accountId, created_at: this.clock.now() })
      .onConflict((oc) => oc.columns(['blocker_id', 'blocked_id']).doNothing())
      .execute();
  }

  /** Official notices (their conversation, or an authority that sends them) can be muted, never blocked. */
  private async refuseNotices(id: string): Promise<void> {
    const authority =
      id !== OFFICIAL_NOTICES_ID &&
      (await this.db.db.selectFrom('authorities').select('id').where('id', '=', id).executeTakeFirst());
    if (id === OFFICIAL_NOTICES_ID || authority) {
      throw new ApiError(
        400,
        'NOT_BLOCKABLE',
        'official notices cannot be blocked; mute them instead (PUT /v1/notices/mute)',
        { mute: '/v1/notices/mute' },
      );
    }
  }

  async unblock(auth: AuthenticatedDevice, accountId: string): Promise<void> {
    await this.db.db
      .deleteFrom('blocks')
      .where('blocker_id', '=', auth.accountId)
      .where('blocked_id', '=', accountId)
      .execute();
  }

  async list(auth: AuthenticatedDevice): Promise<{ accountId: string; at: number }[]> {
    const rows = await this.db.db
      .selectFrom('blocks')
      .select(['blocked_id', 'created_at'])
      .where('blocker_id', '=', auth.accountId)
      .orderBy('created_at')
      .execute();
    return rows.map((r) => ({ accountId: r.blocked_id, at: r.created_at }));
  }

  async isBlocked(blocker: string, blocked: string, db: Kysely<Schema> = this.db.db): Promise<boolean> {
    const row = await db
      .selectFrom('blocks')
      .select('blocker_id')
      .where('blocker_id', '=', blocker)
      .where('blocked_id', '=', blocked)
      .executeTakeFirst();
    return row !== undefined;
  }

  /** Of these accounts, the ones that block the sender. */
  async blockersOf(sender: string, accounts: string[], db: Kysely<Schema> = this.db.db): Promise<Set<string>> {
    if (accounts.length === 0) return new Set();
    const rows = await db
      .selectFrom('blocks')
      .select('blocker_id')
      .where('blocked_id', '=', sender)
      .where('blocker_id', 'in', accounts)
      .execute();
    return new Set(rows.map((r) => r.blocker_id));
  }
}
