import type { Clock, Logger } from '@signet/common';
import type { OperatorDatabase } from '../db';
import { recordConfirmations } from '../registrations/registration-store';
import { getSubscribers } from '../subscribers/subscriber-store';
import { decide } from './decide';
import { dueRequests, recordDecisions } from './request-store';

/** Decides the requests whose answer is due. Each batch commits before the outbox may carry its results. */
export class Decider {
  constructor(
    private readonly deps: {
      db: OperatorDatabase;
      clock: Clock;
      log: Logger;
      servedPrefixes: readonly string[];
      batchSize?: number;
    },
  ) {}

  /**
   * Decides due requests, a batch per transaction, until none is due or `limit` are decided; returns how many
   * it decided.
   */
  async decideDue(limit = Number.POSITIVE_INFINITY): Promise<number> {
    let total = 0;
    const size = this.deps.batchSize ?? 1000;
    for (;;) {
      const now = this.deps.clock.now();
      const due = await dueRequests(this.deps.db.db, now, size);
      if (due.length === 0) return total;
      const decided = await this.deps.db.transaction(async (tx) => {
        // The row locks (PostgreSQL) order these decisions against a termination of the same number, so a
        // registration confirmed here is either ended by that termination or made after it, never lost.
        const phones = [...new Set(due.map((r) => r.phone_number))];
        const subscribers = await getSubscribers(tx, phones, this.deps.db.dialect === 'postgres');
        const byNumber = new Map(subscribers.map((s) => [s.phone_number, s]));
        const decisions = due.map((row) => ({
          row,
          decision: decide(byNumber.get(row.phone_number), row.phone_number, this.deps.servedPrefixes),
        }));
        const recorded = new Set(await recordDecisions(tx, decisions, now));
        // Recorded in the decision's transaction, so it is durable before any event can carry the result (4.2).
        await recordConfirmations(
          tx,
          decisions
            .filter((d) => recorded.has(d.row) && d.decision.result === 'confirmed')
            .map(({ row }) => ({
              messengerId: row.messenger_id,
              userCode: row.user_code,
              phoneNumber: row.phone_number,
              requestId: row.request_id,
              decidedAt: now,
            })),
        );
        return recorded.size;
      });
      total += decided;
      this.deps.log.debug({ decided }, 'identification requests decided');
      if (due.length < size || total >= limit) return total;
    }
  }
}
