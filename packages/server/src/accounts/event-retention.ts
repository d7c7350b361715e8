import { type Clock, DAY, type Logger } from '@signet/common';
import type { ServerDatabase } from '../db';

/** Rows deleted by one statement, so that a large backlog never holds a long lock. */
const CHUNK = 5000;

/**
 * Account events (registration, sign-ins with the client address, devices, identification results) are kept
 * for the retention period to answer data requests, then deleted. A period of zero keeps none.
 */
export class AccountEventRetention {
  constructor(
    private readonly db: ServerDatabase,
    private readonly clock: Clock,
    private readonly retentionDays: number,
    private readonly log: Logger,
  ) {}

  /** Events older than this (strictly before) are deleted. */
  cutoff(): number {
    const now = this.clock.now();
    return this.retentionDays === 0 ? now + 1 : now - this.retentionDays * DAY;
  }

  /** Deletes every event past the retention period; answers how many. */
  async sweep(): Promise<number> {
    const cutoff = this.cutoff();
    let deleted = 0;
    for (;;) {
      const result = await this.db.db
        .deleteFrom('account_events')
        .where('id', 'in', (eb) =>
          eb.selectFrom('account_events').select('id').where('at', '<', cutoff).orderBy('at').limit(CHUNK),
        )
        .executeTakeFirst();
      const n = Number(result.numDeletedRows);
      deleted += n;
      if (n < CHUNK) break;
    }
    if (deleted > 0)
      this.log.info({ deleted, retentionDays: this.retentionDays }, 'account events past retention deleted');
    return deleted;
  }
}
