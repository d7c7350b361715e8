import { type Clock, type Logger, randomId } from '@signet/common';
import { IdentificationAccepted, MAX_BATCH } from '@signet/protocol';
import { Value } from 'typebox/value';
import type { IdentificationConfig } from '../config/config';
import type { ServerDatabase } from '../db';
import type { OperatorDirectory } from './directory/directory';
import type { IdentificationManager } from './identification-manager';
import type { OperatorClient } from './operator-client';
import { getRequests } from './request-store';

/** Waits between attempts of a batch that got no 202: quick at first, then every 30 s until the deadline. */
const BACKOFF_MS = [1000, 2000, 5000, 10_000, 30_000];

/**
 * Batches in flight to one operator at most. Enough to keep it busy; more would only wait in its queue,
 * past our timeout, and be sent again.
 */
const IN_FLIGHT_PER_OPERATOR = 4;

/**
 * Sends identification requests to operators: groups recorded requests into batches of up to 1000
 * per operator, then posts each batch until it gets a 202 or its deadline passes (section 4.1).
 * A batch keeps its webhook-id and body bytes across retries, so the operator acts on it once.
 */
export class IdentificationSender {
  /** Sends in flight by batch id. The loop starts them and goes on: one operator that does not answer holds up no one else. */
  private readonly inFlight = new Map<string, { operatorId: string; sending: Promise<void> }>();
  /** Called when a send ends, so that the loop starts the next one of that operator soon. */
  onSent: () => void = () => {};

  constructor(
    private readonly db: ServerDatabase,
    private readonly clock: Clock,
    private readonly config: IdentificationConfig,
    private readonly directory: OperatorDirectory,
    private readonly client: OperatorClient,
    private readonly manager: IdentificationManager,
    private readonly log: Logger,
  ) {}

  /** Forms batches and starts every due send, without waiting for the answers. */
  async runDue(): Promise<void> {
    // Operator by operator, so that every query finds its rows through the index of unbatched requests.
    for (const operator of this.directory.all()) while (await this.formBatch(operator.id)) {}
    await this.sendDue();
  }

  /** Waits for the sends in flight (on shutdown, and in tests). */
  async drain(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight.values()].map((f) => f.sending));
  }

  /** Puts up to 1000 unbatched requests of the operator into a new batch; false when none is left. */
  private async formBatch(operatorId: string): Promise<boolean> {
    const batchId = randomId('wh');
    const now = this.clock.now();
    return this.db.transaction(async (tx) => {
      const ids = await tx
        .selectFrom('identification_requests')
        .select('request_id')
        .where('operator_id', '=', operatorId)
        .where('status', '=', 'pending')
        .where('batch_id', 'is', null)
        .orderBy('requested_at')
        .limit(MAX_BATCH)
        .execute();
      if (ids.length === 0) return false;
      // Claim first, then build the body from what this batch really claimed (another node may race).
      await tx
        .updateTable('identification_requests')
        .set({ batch_id: batchId })
        .where(
          'request_id',
          'in',
          ids.map((r) => r.request_id),
        )
        .where('batch_id', 'is', null)
        .execute();
      const claimed = await tx
        .selectFrom('identification_requests')
        .selectAll()
        .where('operator_id', '=', operatorId)
        .where('batch_id', '=', batchId)
        .orderBy('requested_at')
        .execute();
      if (claimed.length === 0) return true;
      const body = JSON.stringify({
        messengerId: this.config.messengerId,
        requests: claimed.map((r) => ({
          requestId: r.request_id,
          userCode: r.user_code,
          phoneNumber: r.phone_number,
          reason: r.reason,
          possessionVerifiedAt: new Date(r.possession_verified_at).toISOString(),
          requestedAt: new Date(r.requested_at).toISOString(),
        })),
      });
      await tx
        .insertInto('identification_batches')
        .values({
          id: batchId,
          operator_id: operatorId,
          body,
          status: 'open',
          attempts: 0,
          next_attempt_at: now,
          deadline_at: Math.max(...claimed.map((r) => r.deadline_at)),
          created_at: now,
        })
        .execute();
      return true;
    });
  }

  private async sendDue(): Promise<void> {
    const now = this.clock.now();
    let q = this.db.db
      .selectFrom('identification_batches')
      .select(['id', 'operator_id'])
      .where('status', '=', 'open')
      .where('next_attempt_at', '<=', now);
    if (this.inFlight.size > 0) q = q.where('id', 'not in', [...this.inFlight.keys()]);
    const due = await q.orderBy('next_attempt_at').limit(50).execute();
    for (const { id, operator_id: operatorId } of due) {
      const busy = [...this.inFlight.values()].filter((f) => f.operatorId === operatorId).length;
      if (this.inFlight.has(id) || busy >= IN_FLIGHT_PER_OPERATOR) continue;
      const sending = this.send(id)
        .catch((error: unknown) => this.log.error({ err: error, batch: id }, 'sending a batch failed; will retry'))
        .finally(() => {
          this.inFlight.delete(id);
          this.onSent();
        });
      this.inFlight.set(id, { operatorId, sending });
    }
  }

  private async send(id: string) {
    const batch = await this.db.db
      .selectFrom('identification_batches')
      .selectAll()
      .where('id', '=', id)
      .where('status', '=', 'open')
      .executeTakeFirst();
    if (!batch) return;
    const now = this.clock.now();
    const operator = this.directory.operator(batch.operator_id);
    if (!operator || now > batch.deadline_at) {
      // Nothing more to do: the deadline decides each request (section 4.3).
      await this.db.db
        .updateTable('identification_batches')
        .set({ status: 'abandoned' })
        .where('id', '=', batch.id)
        .execute();
      return;
    }
    const outcome = await this.client.post(operator, '/v1/identifications', batch.id, batch.body);
    if (outcome.kind === 'retry') {
      const wait = Math.max(
        outcome.retryAfterMs ?? 0,
        BACKOFF_MS[Math.min(batch.attempts, BACKOFF_MS.length - 1)] ?? 30_000,
      );
      await this.db.db
        .updateTable('identification_batches')
        .set({ attempts: batch.attempts + 1, next_attempt_at: this.clock.now() + wait })
        .where('id', '=', batch.id)
        .execute();
      return;
    }
    const accepted =
      outcome.kind === 'ok' && Value.Check(IdentificationAccepted, outcome.body) ? outcome.body : undefined;
    const requestIds = (JSON.parse(batch.body) as { requests: { requestId: string }[] }).requests.map(
      (r) => r.requestId,
    );
    // Rejections are matched by position, which holds even where the operator could not read the id.
    const rejected = new Set(
      accepted
        ? accepted.rejected.map((r) => requestIds[r.index]).filter((id): id is string => id !== undefined)
        : requestIds,
    );
    if (!accepted)
      this.log.error({ operator: operator.id, batch: batch.id, outcome }, 'operator refused a whole batch');
    const changes = await this.db.transaction(async (tx) => {
      await tx
        .updateTable('identification_batches')
        .set({ status: 'done', attempts: batch.attempts + 1 })
        .where('id', '=', batch.id)
        .execute();
      const acceptedIds = accepted ? accepted.accepted.filter((id) => !rejected.has(id)) : [];
      if (acceptedIds.length > 0) {
        await tx
          .updateTable('identification_requests')
          .set({ accepted_at: now })
          .where('request_id', 'in', acceptedIds)
          .execute();
      }
      const pending = (await getRequests(tx, [...rejected])).filter((req) => req.status === 'pending');
      return this.manager.failMany(tx, pending, 'REJECTED', now);
    });
    await this.manager.announce(changes);
  }
}
