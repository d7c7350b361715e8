import { OpId } from '@signet/protocol';
import { Value } from 'typebox/value';
import { invalidArgument } from '../../errors';
import { defineRoute } from '../../http/route';
import { runIdempotent } from '../../idempotency/idempotent';
import { acceptBatch } from '../../identification/accept-batch';

/** 4.1: a messenger asks the operator to confirm a batch of subscribers. */
export const createIdentifications = defineRoute({
  method: 'POST',
  url: '/v1/identifications',
  summary: 'Accept a batch of identification requests',
  auth: 'signed-body',
  async handler({ ctx, auth }) {
    if (!Value.Check(OpId, auth.webhookId)) throw invalidArgument('webhook-id: 1 to 64 characters from [A-Za-z0-9_-]');
    const { messengerId } = auth.messenger;
    const answer = await runIdempotent(
      { db: ctx.db, clock: ctx.clock, ttlMs: ctx.config.idempotencyTtlMs },
      { messengerId, webhookId: auth.webhookId, body: auth.raw },
      async (tx) => {
        const settings = {
          now: ctx.clock.now(),
          delayMs: ctx.config.answer.delayMs,
          silentNumbers: new Set(ctx.config.answer.silentNumbers),
        };
        const accepted = await acceptBatch(tx, settings, messengerId, auth.json);
        return { status: 202, body: JSON.stringify(accepted) };
      },
    );
    ctx.worker.wake();
    return answer;
  },
});
