import type { Kysely } from 'kysely';
import type { Schema } from '../db';
import { ApiError } from '../errors';

/**
 * The one check every path that sends or delivers a message goes through: only identified accounts
 * send or receive (the law's "messages only between identified users", and spec O6 for suspended ones).
 */
export class IdentificationGate {
  constructor(private readonly db: Kysely<Schema>) {}

  async isIdentified(accountId: string, db: Kysely<Schema> = this.db): Promise<boolean> {
    const row = await db.selectFrom('accounts').select('state').where('id', '=', accountId).executeTakeFirst();
    return row?.state === 'identified';
  }

  /** Throws a clear error unless the sender may send. */
  async assertCanSend(accountId: string, db: Kysely<Schema> = this.db): Promise<void> {
    if (!(await this.isIdentified(accountId, db))) {
      throw new ApiError(403, 'NOT_IDENTIFIED', 'your account is not identified, so it cannot send messages');
    }
  }

  /** Throws a clear error unless every recipient may receive. */
  async assertCanReceive(accountIds: string[], db: Kysely<Schema> = this.db): Promise<void> {
    if (accountIds.length === 0) return;
    const rows = await db.selectFrom('accounts').select(['id', 'state']).where('id', 'in', accountIds).execute();
    const identified = new Set(rows.filter((r) => r.state === 'identified').map((r) => r.id));
    const refused = accountIds.filter((id) => !identified.has(id));
    if (refused.length > 0) {
      throw new ApiError(403, 'RECIPIENT_NOT_IDENTIFIED', 'a recipient is not identified and cannot receive messages', {
        accounts: refused,
      });
    }
  }
}
