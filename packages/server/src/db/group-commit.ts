import { type Kysely, sql } from 'kysely';
import type { Schema, ServerDatabase } from './index';

type Work<T> = (tx: Kysely<Schema>) => Promise<T>;

interface Job {
  work: Work<unknown>;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

/** Most units of work in one transaction: bounds how long a batch holds the connection. */
const MAX_BATCH = 128;

/**
 * Group commit for SQLite. Its one connection serialises writers, and with synchronous=FULL every commit
 * waits for the disk (an fsync, a few milliseconds, during which the event loop is blocked). Units of work
 * that arrive while a commit is under way are therefore run together, in arrival order, in the next
 * transaction, and share its fsync. Each runs inside its own savepoint, so that one that fails is rolled
 * back alone and rejected with its own error; the others are resolved once the transaction has committed,
 * never before (a send is acknowledged only once durably stored). If the commit itself fails, every unit
 * of the batch is rejected.
 *
 * PostgreSQL has a pool of connections and groups commits itself: there each unit is its own transaction.
 */
export class GroupCommit {
  private queue: Job[] = [];
  private draining = false;

  constructor(private readonly db: ServerDatabase) {}

  run<T>(work: Work<T>): Promise<T> {
    if (this.db.dialect !== 'sqlite') return this.db.transaction(work);
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ work, resolve: resolve as (value: unknown) => void, reject });
      if (this.draining) return;
      this.draining = true;
      // After the current I/O: whatever else arrived in this turn of the event loop joins the first batch.
      setImmediate(() => void this.drain());
    });
  }

  private async drain(): Promise<void> {
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.slice(0, MAX_BATCH);
        this.queue = this.queue.slice(MAX_BATCH);
        await this.commit(batch);
      }
    } finally {
      this.draining = false;
    }
  }

  private async commit(batch: Job[]): Promise<void> {
    const outcomes: Outcome[] = [];
    try {
      await this.db.transaction(async (tx) => {
        if (batch.length === 1) {
          // Alone: its failure rolls the whole transaction back, with no savepoint needed.
          outcomes.push({ ok: true, value: await (batch[0] as Job).work(tx) });
          return;
        }
        for (const job of batch) outcomes.push(await isolated(tx, job.work));
      });
    } catch (error) {
      for (const job of batch) job.reject(error);
      return;
    }
    // In arrival order, so that what follows each commit (pushing frames) happens in the order stored.
    batch.forEach((job, i) => {
      const outcome = outcomes[i] as Outcome;
      if (outcome.ok) job.resolve(outcome.value);
      else job.reject(outcome.error);
    });
  }
}

async function isolated(tx: Kysely<Schema>, work: Work<unknown>): Promise<Outcome> {
  await sql`savepoint unit`.execute(tx);
  try {
    const value = await work(tx);
    await sql`release savepoint unit`.execute(tx);
    return { ok: true, value };
  } catch (error) {
    await sql`rollback to savepoint unit`.execute(tx);
    await sql`release savepoint unit`.execute(tx);
    return { ok: false, error };
  }
}
