import type { Clock, Logger } from '@signet/common';
import type { ServerDatabase } from '../db';
import { advanceCursors, existingAccounts, newestMailingId } from './mailing-store';

/** Accounts written per transaction. */
const CHUNK = 500;

/**
 * The delivered cursors that devices acknowledge over their sockets. A mailing pushed to ten thousand online
 * devices brings ten thousand acknowledgements within a second or two; written one by one, each would be a
 * commit (an fsync on SQLite) on the event loop. They are gathered per account instead and written every
 * `delayMs` in a few transactions. They only feed the delivered counts, so those lost to a crash cost nothing
 * but a count that the next fetch corrects.
 */
export class DeliveredCursors {
  private pending = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> | undefined;

  constructor(
    private readonly db: ServerDatabase,
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly delayMs = 250,
  ) {}

  /** Every mailing up to `upTo` reached a device of the account. */
  note(accountId: string, upTo: number): void {
    if (upTo <= 0) return;
    this.pending.set(accountId, Math.max(this.pending.get(accountId) ?? 0, upTo));
    if (!this.timer) {
      this.timer = setTimeout(() => void this.flush(), this.delayMs);
      this.timer.unref();
    }
  }

  /** Writes what has been noted so far; resolves once it is stored. */
  async flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    while (this.writing) await this.writing;
    if (this.pending.size === 0) return;
    const batch = this.pending;
    this.pending = new Map();
    this.writing = this.write(batch)
      .catch((error: unknown) => this.log.warn({ err: error, accounts: batch.size }, 'writing notice cursors failed'))
      .finally(() => {
        this.writing = undefined;
      });
    await this.writing;
  }

  close(): Promise<void> {
    return this.flush();
  }

  private async write(batch: Map<string, number>): Promise<void> {
    // A device cannot have received a mailing that does not exist yet.
    const newest = await newestMailingId(this.db.db);
    const entries = [...batch];
    for (let i = 0; i < entries.length; i += CHUNK) {
      const chunk = entries.slice(i, i + CHUNK);
      await this.db.transaction(async (tx) => {
        const live = await existingAccounts(
          tx,
          chunk.map(([id]) => id),
        );
        const rows = chunk
          .filter(([id]) => live.has(id))
          .map(([accountId, upTo]) => ({ accountId, delivered: Math.min(upTo, newest), read: 0 }));
        await advanceCursors(tx, rows, this.clock.now());
      });
    }
  }
}
