import { type Clock, type Logger, signHeaders } from '@signet/common';
import type { EventTransport } from '../adapters/events/transport';
import type { OperatorDatabase } from '../db';
import type { MessengerDirectory } from '../messengers';
import { markNoticesDelivered } from '../notices/notice-store';
import { claimEvent, dueEvents, getEvent, type OutboxRow, updateEvent } from './outbox-store';
import { nextAttemptAt, parseRetryAfter } from './schedule';

export interface DeliveryRound {
  attempted: number;
  delivered: number;
}

/**
 * Sends due events, signed, and records each attempt's outcome and the next one per the schedule (4.2). Up to
 * `concurrency` attempts are under way at once; a slot that frees up takes the next due event.
 */
export class Deliverer {
  /** Attempts under way, by event id. */
  private readonly inFlight = new Map<string, Promise<boolean>>();
  /** Claims run one at a time, so that together they never take more than the free slots. */
  private claims: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly deps: {
      db: OperatorDatabase;
      clock: Clock;
      log: Logger;
      messengers: MessengerDirectory;
      transport: EventTransport;
      timeoutMs: number;
      concurrency: number;
    },
  ) {}

  /** Delivers every due event, and waits for the attempts. */
  async deliverDue(): Promise<DeliveryRound> {
    const outcomes: Promise<boolean>[] = [];
    for (;;) {
      outcomes.push(...(await this.startDue()));
      if (this.inFlight.size === 0) break;
      await Promise.race(this.inFlight.values());
    }
    const delivered = await Promise.all(outcomes);
    return { attempted: delivered.length, delivered: delivered.filter(Boolean).length };
  }

  /** Claims due events for the free slots and starts their attempts, without waiting for them; answers those attempts. */
  startDue(): Promise<Promise<boolean>[]> {
    const started = this.claims.then(() => this.claimDue());
    this.claims = started.catch(() => undefined);
    return started;
  }

  /** Waits for the attempts under way. */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all(this.inFlight.values());
  }

  private async claimDue(): Promise<Promise<boolean>[]> {
    const free = this.deps.concurrency - this.inFlight.size;
    if (free <= 0) return [];
    const now = this.deps.clock.now();
    const due = await dueEvents(this.deps.db.db, now, free);
    const lease = now + this.deps.timeoutMs + 60_000;
    const started: Promise<boolean>[] = [];
    for (const d of due) {
      if (d.next_attempt_at === null || !(await claimEvent(this.deps.db.db, d.id, d.next_attempt_at, lease))) continue;
      const row = await getEvent(this.deps.db.db, d.id);
      if (!row) continue;
      const attempt = this.attempt(row)
        .catch((error: unknown) => {
          // The lease brings the event back for another attempt.
          this.deps.log.warn({ err: error, eventId: row.id }, 'delivery attempt failed; will retry');
          return false;
        })
        .finally(() => this.inFlight.delete(row.id));
      this.inFlight.set(row.id, attempt);
      started.push(attempt);
    }
    return started;
  }

  /** One attempt; true when the messenger took the event. */
  private async attempt(row: OutboxRow): Promise<boolean> {
    const { clock, log } = this.deps;
    const at = clock.now();
    const attempts = row.attempts + 1;
    const messenger = this.deps.messengers.get(row.messenger_id);
    let status: number | undefined;
    let retryAfter: string | undefined;
    let error: string | undefined;
    if (!messenger) error = `messenger ${row.messenger_id} is not configured`;
    else {
      try {
        const answer = await this.deps.transport.post(
          messenger.eventsUrl,
          this.headers(messenger.secrets, row, at, attempts),
          row.body,
          this.deps.timeoutMs,
        );
        status = answer.status;
        retryAfter = answer.retryAfter;
      } catch (e) {
        error = (e as Error).message;
      }
    }
    const common = { attempts, last_attempt_at: at, last_status: status ?? null, last_error: error ?? null };
    const ctx = { eventId: row.id, messengerId: row.messenger_id, type: row.type, attempt: attempts, status, error };

    if (status !== undefined && status >= 200 && status < 300) {
      const deliveredAt = clock.now();
      await this.deps.db.transaction(async (tx) => {
        await updateEvent(tx, row.id, {
          ...common,
          state: 'delivered',
          next_attempt_at: null,
          delivered_at: deliveredAt,
        });
        await markNoticesDelivered(tx, row.id, deliveredAt);
      });
      log.info(ctx, 'event delivered');
      return true;
    }
    if (status === 410) {
      await updateEvent(this.deps.db.db, row.id, { ...common, state: 'gone', next_attempt_at: null });
      // The messenger says its endpoint is gone: nothing more will be sent there until staff act.
      log.error({ ...ctx, alert: true }, 'ALERT: events endpoint answered 410 Gone; delivery stopped');
      return false;
    }
    const floor = status === 429 || status === 503 ? parseRetryAfter(retryAfter, at) : undefined;
    const next = nextAttemptAt(attempts, at, floor);
    if (next === null) {
      await updateEvent(this.deps.db.db, row.id, { ...common, state: 'failed', next_attempt_at: null });
      log.error({ ...ctx, alert: true }, 'ALERT: event undelivered after the whole retry schedule');
      return false;
    }
    await updateEvent(this.deps.db.db, row.id, { ...common, next_attempt_at: next });
    log.warn({ ...ctx, nextAttemptAt: new Date(next).toISOString() }, 'event not delivered; will retry');
    return false;
  }

  /** Signed with every current secret of the messenger (one signature each), so a rotation never breaks delivery. */
  private headers(secrets: readonly string[], row: OutboxRow, at: number, attempt: number): Record<string, string> {
    const signed = secrets.map((s) => signHeaders(s, row.id, at, row.body));
    const first = signed[0];
    if (!first) throw new Error(`messenger ${row.messenger_id} has no secret`);
    return {
      'content-type': 'application/json',
      'user-agent': 'signet-operator',
      // Unique per attempt yet traceable to the event.
      'x-correlator': `${row.id}.${attempt}`,
      'webhook-id': first['webhook-id'],
      'webhook-timestamp': first['webhook-timestamp'],
      'webhook-signature': signed.map((h) => h['webhook-signature']).join(' '),
    };
  }
}
