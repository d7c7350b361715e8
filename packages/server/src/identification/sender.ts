import { type Clock, type Logger, randomId } from '@signet/common';
import { IdentificationAccepted, MAX_BATCH } from '@signet/protocol';
import { Value } from 'typebox/value';
import type { IdentificationConfig } from '../config/config';
import type { ServerDatabase } from '../db';
import type { OperatorDirectory } from './directory/directory';
import type { IdentificationManager, StateChange } from './identification-manager';
import type { OperatorClient } from './operator-client';
import { getRequests } from './request-store';

/** Waits between attempts of a batch that got no 202: quick at first, then every 30 s until the deadline. */
const BACKOFF_MS = [1000, 2000, 5000, 10_000, 30_000];

/**
 * Sends identification requests to operators: groups recorded requests into batches of up to 1000
 * per operator, then posts each batch until it gets a 202 or its deadline passes (section 4.1).
 * A batch keeps its webhook-id and body bytes across retries, so the operator acts on it once.
 */
export class IdentificationSender {
  constructor(
    private readonly db: ServerDatabase,
    private readonly clock: Clock,
    private readonly config: IdentificationConfig,
    private readonly directory: OperatorDirectory,
    private readonly client: OperatorClient,
    private readonly manager: IdentificationManager,
    private readonly log: Logger,
  ) {}

  async runDue(): Promise<void> {
    while (await this.formBatch()) {}
    await this.sendDue();
  }

  /** Puts up to 1000 unbatched requests of one operator into a new batch; false when none is left. */
  private async formBatch(): Promise<boolean> {
    const next = await this.db.db
      .selectFrom('identification_requests')
      .select('operator_id')
      .where('status', '=', 'pending')
      .where('batch_id', 'is', null)
      .where('operator_id', 'is not', null)
      .limit(1)
      .executeTakeFirst();
    if (!next?.operator_id) return false;
    const operatorId = next.operator_id;
    const batchId = randomId('wh');
    const now = this.clock.now();
    await this.db.transaction(async (tx) => {
      const ids = await tx
        .selectFrom('identification_requests')
        .select('request_id')
        .where('operator_id', '=', operatorId)
        .where('status', '=', 'pending')
        .where('batch_id', 'is', null)
        .orderBy('requested_at')
        .limit(MAX_BATCH)
        .execute();
      if (ids.length === 0) return;
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
        .where('batch_id', '=', batchId)
        .orderBy('requested_at')
        .execute();
      if (claimed.length === 0) return;
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
    });
    return true;
  }

  private async sendDue(): Promise<void> {
    const now = this.clock.now();
    const due = await this.db.db
      .selectFrom('identification_batches')
      .selectAll()
      .where('status', '=', 'open')
      .where('next_attempt_at', '<=', now)
      .orderBy('next_attempt_at')
      .limit(50)
      .execute();
    await Promise.all(due.map((batch) => this.send(batch)));
  }

  private async send(batch: { id: string; operator_id: string; body: string; attempts: number; deadline_at: number }) {
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
      const out: StateChange[] = [];
      const acceptedIds = accepted ? accepted.accepted.filter((id) => !rejected.has(id)) : [];
      if (acceptedIds.length > 0) {
        await tx
          .updateTable('identification_requests')
          .set({ accepted_at: now })
          .where('request_id', 'in', acceptedIds)
          .execute();
      }
      for (const req of await getRequests(tx, [...rejected])) {
        if (req.status !== 'pending') continue;
        const change = await this.manager.fail(tx, req, 'REJECTED', now);
        if (change) out.push(change);
      }
      return out;
    });
    await this.manager.announce(changes);
  }
}
