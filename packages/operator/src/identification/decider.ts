import type { Clock, Logger } from '@signet/common';
import type { OperatorDatabase } from '../db';
import { recordConfirmation } from '../registrations/registration-store';
import { getSubscribers } from '../subscribers/subscriber-store';
import { decide } from './decide';
import { dueRequests, recordDecision } from './request-store';

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

  /** Decides every due request; returns how many it decided. */
  async decideDue(): Promise<number> {
    let total = 0;
    const size = this.deps.batchSize ?? 200;
    for (;;) {
      const now = this.deps.clock.now();
      const due = await dueRequests(this.deps.db.db, now, size);
      if (due.length === 0) return total;
      let decided = 0;
      await this.deps.db.transaction(async (tx) => {
        // The row locks (PostgreSQL) order these decisions against a termination of the same number, so a
        // registration confirmed here is either ended by that termination or made after it, never lost.
        const phones = [...new Set(due.map((r) => r.phone_number))];
        const subscribers = await getSubscribers(tx, phones, this.deps.db.dialect === 'postgres');
        const byNumber = new Map(subscribers.map((s) => [s.phone_number, s]));
        for (const row of due) {
          const decision = decide(byNumber.get(row.phone_number), row.phone_number, this.deps.servedPrefixes);
          if (!(await recordDecision(tx, row, decision, now))) continue;
          decided++;
          if (decision.result === 'confirmed') {
            // Recorded in the decision's transaction, so it is durable before any event can carry the result (4.2).
            await recordConfirmation(tx, {
              messengerId: row.messenger_id,
              userCode: row.user_code,
              phoneNumber: row.phone_number,
              requestId: row.request_id,
              decidedAt: now,
            });
          }
        }
      });
      total += decided;
      this.deps.log.debug({ decided }, 'identification requests decided');
      if (due.length < size) return total;
    }
  }
}
