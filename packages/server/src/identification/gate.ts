import { type Clock, systemClock } from '@signet/common';
import type { Kysely } from 'kysely';
import type { Schema } from '../db';
import { ApiError } from '../errors';
import { restrictedAccountError, SENDING, SENDING_OR_REACH } from '../restrictions/enforcement';
import { accountOrderId } from '../restrictions/restriction-store';

const notIdentified = () =>
  new ApiError(403, 'NOT_IDENTIFIED', 'your account is not identified, so it cannot send messages');

/**
 * The one check every path that sends or delivers a message goes through: only identified accounts
 * send or receive (the law's "messages only between identified users", and spec O6 for suspended ones), and
 * only accounts no restriction order suspends send. Orders are read from the database with the account's state,
 * in the same query, so that every node sees an order (and its expiry) at once; end-to-end encrypted content
 * is never looked at.
 */
export class IdentificationGate {
  constructor(
    private readonly db: Kysely<Schema>,
    private readonly clock: Clock = systemClock,
  ) {}

  async isIdentified(accountId: string, db: Kysely<Schema> = this.db): Promise<boolean> {
    const row = await db.selectFrom('accounts').select('state').where('id', '=', accountId).executeTakeFirst();
    return row?.state === 'identified';
  }

  /** Throws a clear error unless the account is identified: for what is not sending (following, credentials). */
  async assertIdentified(accountId: string, db: Kysely<Schema> = this.db): Promise<void> {
    if (!(await this.isIdentified(accountId, db))) throw notIdentified();
  }

  /** Throws a clear error unless the sender may send: identified, and its sending not suspended by an order. */
  async assertCanSend(accountId: string, db: Kysely<Schema> = this.db): Promise<void> {
    await this.assertAllowed(accountId, db, SENDING);
  }

  /** As `assertCanSend`, and its reach not limited by an order: to start a conversation or add people to one. */
  async assertCanReachOut(accountId: string, db: Kysely<Schema> = this.db): Promise<void> {
    await this.assertAllowed(accountId, db, SENDING_OR_REACH);
  }

  private async assertAllowed(
    accountId: string,
    db: Kysely<Schema>,
    orders: readonly ('account_sending' | 'account_reach')[],
  ): Promise<void> {
    const now = this.clock.now();
    const row = await db
      .selectFrom('accounts')
      .select((eb) => ['state', accountOrderId(eb, accountId, orders, now).as('order_id')])
      .where('id', '=', accountId)
      .executeTakeFirst();
    if (row?.state !== 'identified') throw notIdentified();
    if (row.order_id) throw await restrictedAccountError(db, row.order_id);
  }

  /** Throws a clear error unless every recipient may receive. */
  async assertCanReceive(accountIds: string[], db: Kysely<Schema> = this.db): Promise<void> {
    if (accountIds.length === 0) return;
    const rows = await db.selectFrom('accounts').select(['id', 'state']).where('id', 'in', accountIds).execute();
    const states = new Map(rows.map((r) => [r.id, r.state]));
    this.assertStatesCanReceive(accountIds.map((id) => ({ id, state: states.get(id) })));
  }

  /** As `assertCanReceive`, for a caller that has read the recipients' states already. */
  assertStatesCanReceive(recipients: readonly { id: string; state: string | undefined }[]): void {
    const refused = recipients.filter((r) => r.state !== 'identified').map((r) => r.id);
    if (refused.length > 0) {
      throw new ApiError(403, 'RECIPIENT_NOT_IDENTIFIED', 'a recipient is not identified and cannot receive messages', {
        accounts: refused,
      });
    }
  }
}
