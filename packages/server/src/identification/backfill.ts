import { type Clock, type Logger, randomId } from '@signet/common';
import type { IdentificationConfig, OperatorConfig } from '../config/config';
import type { ServerDatabase } from '../db';
import type { IdentificationManager } from './identification-manager';

export interface BackfillProgress {
  jobId: string;
  total: number;
  enqueued: number;
  confirmed: number;
  failed: number;
  pending: number;
}

const PAGE = 1000;

/**
 * Identifies accounts that never were (`reason: existing_user`, spec O7): pages through them by id,
 * records requests in batches, paced per operator, and keeps its cursor in the database so that a
 * crashed run resumes where it stopped. The sender delivers the requests like any others.
 */
export class Backfill {
  constructor(
    private readonly db: ServerDatabase,
    private readonly clock: Clock,
    private readonly config: IdentificationConfig,
    private readonly manager: IdentificationManager,
    private readonly log: Logger,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {}

  /** Resumes the unfinished job, or starts one. */
  async run(onProgress?: (p: BackfillProgress) => void): Promise<BackfillProgress> {
    const job = await this.openJob();
    const startedAt = job.started_at;
    let cursor = job.cursor;
    let enqueued = job.enqueued;
    const sentThisSecond = new Map<string, { windowStart: number; count: number }>();
    let reported = 0;
    for (;;) {
      let q = this.db.db
        .selectFrom('accounts')
        .select(['id', 'user_code', 'phone_number', 'possession_verified_at', 'created_at'])
        .where('state', '=', 'unverified')
        .orderBy('id')
        .limit(PAGE);
      if (cursor) q = q.where('id', '>', cursor);
      const page = await q.execute();
      if (page.length === 0) break;
      const routes = await this.manager.routeMany(page.map((a) => a.phone_number));
      await this.pace(routes, sentThisSecond);
      const last = page[page.length - 1]?.id ?? cursor;
      const changes = await this.db.transaction(async (tx) => {
        const out = await this.manager.beginMany(
          tx,
          page.map((account, i) => ({
            account,
            reason: 'existing_user' as const,
            operator: routes[i],
            possessionVerifiedAt: account.possession_verified_at ?? account.created_at,
          })),
        );
        await tx
          .updateTable('backfill_jobs')
          .set({ cursor: last, enqueued: enqueued + page.length })
          .where('id', '=', job.id)
          .execute();
        return out;
      });
      cursor = last;
      enqueued += page.length;
      await this.manager.announce(changes);
      // Counting the outcomes reads every request of the job: once a second is enough for a progress bar.
      if (onProgress && this.clock.now() - reported >= 1000) {
        reported = this.clock.now();
        onProgress(await this.progress(job.id, job.total, enqueued, startedAt));
      }
    }
    await this.db.db
      .updateTable('backfill_jobs')
      .set({ finished_at: this.clock.now() })
      .where('id', '=', job.id)
      .execute();
    const done = await this.progress(job.id, job.total, enqueued, startedAt);
    onProgress?.(done);
    return done;
  }

  /** Counts the outcomes of the requests a job made. */
  async progress(jobId: string, total: number, enqueued: number, startedAt: number): Promise<BackfillProgress> {
    const rows = await this.db.db
      .selectFrom('identification_requests')
      .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
      .where('reason', '=', 'existing_user')
      .where('requested_at', '>=', startedAt)
      .groupBy('status')
      .execute();
    const count = (s: string) => Number(rows.find((r) => r.status === s)?.n ?? 0);
    return {
      jobId,
      total,
      enqueued,
      confirmed: count('confirmed'),
      failed: count('failed') + count('denied'),
      pending: count('pending'),
    };
  }

  /** The job to continue; a finished one is never resumed. */
  async openJob() {
    const open = await this.db.db
      .selectFrom('backfill_jobs')
      .selectAll()
      .where('finished_at', 'is', null)
      .executeTakeFirst();
    if (open) {
      this.log.info({ jobId: open.id, cursor: open.cursor }, 'resuming backfill');
      return open;
    }
    const total = await this.db.db
      .selectFrom('accounts')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('state', '=', 'unverified')
      .executeTakeFirstOrThrow();
    const job = {
      id: randomId('bf'),
      cursor: null,
      total: Number(total.n),
      enqueued: 0,
      started_at: this.clock.now(),
      finished_at: null,
    };
    await this.db.db.insertInto('backfill_jobs').values(job).execute();
    return job;
  }

  /** Keeps each operator under `backfillRate` requests a second. */
  private async pace(
    routes: (OperatorConfig | undefined)[],
    windows: Map<string, { windowStart: number; count: number }>,
  ) {
    const perOperator = new Map<string, number>();
    for (const r of routes) if (r) perOperator.set(r.id, (perOperator.get(r.id) ?? 0) + 1);
    let wait = 0;
    const now = Date.now();
    for (const [id, n] of perOperator) {
      const w = windows.get(id) ?? { windowStart: now, count: 0 };
      if (now - w.windowStart >= 1000) {
        w.windowStart = now;
        w.count = 0;
      }
      if (w.count + n > this.config.backfillRate) {
        wait = Math.max(wait, 1000 - (now - w.windowStart));
        w.windowStart = now + wait;
        w.count = 0;
      }
      w.count += n;
      windows.set(id, w);
    }
    if (wait > 0) await this.sleep(wait);
  }
}
