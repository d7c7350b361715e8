import { type Clock, isUniqueViolation, type Logger, sha256Hex, verifySignature } from '@signet/common';
import {
  ContractTerminated,
  IdentificationCompleted,
  isInstant,
  MAX_BATCH,
  type OperatorErrorBody,
} from '@signet/protocol';
import { Value } from 'typebox/value';
import type { ServerDatabase } from '../db';
import type { OperatorDirectory } from './directory/directory';
import type { IdentificationManager, StateChange } from './identification-manager';

/** REMEMBER_MS: how long an event id is remembered for idempotency (at least 72 hours, section 2). */
export const REMEMBER_MS = 73 * 60 * 60 * 1000;

const WEBHOOK_ID = /^[A-Za-z0-9_-]{1,64}$/;

export interface ReceiverAnswer {
  status: number;
  body: OperatorErrorBody | undefined;
  retryAfter?: number;
}

const error = (status: number, code: string, message: string): ReceiverAnswer => ({
  status,
  body: { status, code, message },
});

/**
 * The messenger's side of `POST /operator/v1/events` (sections 2, 4.2, 4.4): authenticate by the
 * operator's secret, answer a repeated webhook-id from memory, validate the event as a whole, and
 * apply it durably, remembering the id in the same transaction, before answering 204.
 */
export class EventReceiver {
  constructor(
    private readonly db: ServerDatabase,
    private readonly clock: Clock,
    private readonly directory: OperatorDirectory,
    private readonly manager: IdentificationManager,
    private readonly log: Logger,
  ) {}

  async receive(raw: Buffer, headers: Record<string, string | string[] | undefined>): Promise<ReceiverAnswer> {
    const now = this.clock.now();
    let event: unknown;
    try {
      event = JSON.parse(raw.toString('utf8'));
    } catch {
      // Section 2: a body that is not JSON names no sender; any of our secrets may vouch for it.
      const secrets = this.directory.all().flatMap((o) => o.secrets);
      return verifySignature(secrets, headers, raw, now) === 'ok'
        ? error(400, 'INVALID_ARGUMENT', 'the body is not valid JSON')
        : error(401, 'UNAUTHENTICATED', 'the request is not signed by a known operator');
    }
    const operatorId = (event as { operatorId?: unknown } | null)?.operatorId;
    const operator = typeof operatorId === 'string' ? this.directory.operator(operatorId) : undefined;
    if (!operator) return error(401, 'UNAUTHENTICATED', 'unknown operatorId');
    const verified = verifySignature(operator.secrets, headers, raw, now);
    if (verified !== 'ok') return error(401, 'UNAUTHENTICATED', `signature ${verified}`);

    const webhookId = String(headers['webhook-id']);
    // Section 2: webhook-id is an identifier like the others; it is also a key this side stores.
    if (!WEBHOOK_ID.test(webhookId)) return error(400, 'INVALID_ARGUMENT', 'webhook-id must be 1-64 of [A-Za-z0-9_-]');
    const digest = sha256Hex(raw);
    const seen = await this.db.db
      .selectFrom('operator_event_ids')
      .selectAll()
      .where('operator_id', '=', operator.id)
      .where('webhook_id', '=', webhookId)
      .executeTakeFirst();
    if (seen) {
      if (seen.body_digest !== digest) return error(409, 'ID_REUSED', 'this webhook-id came before with another body');
      return { status: seen.status, body: seen.response ? JSON.parse(seen.response) : undefined };
    }

    const problem = this.validate(event);
    if (problem) return problem;
    const valid = event as IdentificationCompleted | ContractTerminated;

    let changes: StateChange[];
    try {
      changes = await this.apply(operator.id, webhookId, digest, valid, now);
    } catch (e) {
      // The same event arrived twice at once and the other copy won: answer as for a repeat.
      if (isUniqueViolation(e)) return this.receive(raw, headers);
      throw e;
    }
    this.log.info({ operator: operator.id, type: valid.type, changes: changes.length }, 'operator event applied');
    await this.manager.announce(changes);
    return { status: 204, body: undefined };
  }

  private apply(
    operatorId: string,
    webhookId: string,
    digest: string,
    valid: IdentificationCompleted | ContractTerminated,
    now: number,
  ): Promise<StateChange[]> {
    return this.db.transaction(async (tx) => {
      let out: StateChange[];
      if (valid.type === 'identification.completed') {
        out = await this.manager.applyResults(tx, operatorId, valid.results);
      } else {
        out = await this.manager.applyNotices(tx, operatorId, valid.notices);
      }
      await tx
        .insertInto('operator_event_ids')
        .values({
          operator_id: operatorId,
          webhook_id: webhookId,
          body_digest: digest,
          status: 204,
          response: '',
          received_at: now,
        })
        .execute();
      return out;
    });
  }

  private validate(event: unknown): ReceiverAnswer | undefined {
    const type = (event as { type?: unknown }).type;
    const list =
      type === 'identification.completed'
        ? (event as { results?: unknown }).results
        : type === 'subscriber.contract_terminated'
          ? (event as { notices?: unknown }).notices
          : undefined;
    if (Array.isArray(list) && list.length > MAX_BATCH) {
      return error(413, 'TOO_LARGE', `at most ${MAX_BATCH} items in one event`);
    }
    const schema = type === 'identification.completed' ? IdentificationCompleted : ContractTerminated;
    if (type !== 'identification.completed' && type !== 'subscriber.contract_terminated') {
      return error(400, 'INVALID_ARGUMENT', 'type must be identification.completed or subscriber.contract_terminated');
    }
    if (!Value.Check(schema, event)) {
      const first = Value.Errors(schema, event)[0];
      return error(
        400,
        'INVALID_ARGUMENT',
        `invalid event: ${first ? `${first.instancePath} ${first.message}` : 'schema'}`,
      );
    }
    const instants =
      type === 'identification.completed'
        ? (event as IdentificationCompleted).results.map((r) => r.decidedAt)
        : (event as ContractTerminated).notices.map((n) => n.terminatedAt);
    if (!instants.every(isInstant)) return error(400, 'INVALID_ARGUMENT', 'invalid RFC 3339 timestamp');
    if (type === 'identification.completed') {
      for (const r of (event as IdentificationCompleted).results) {
        if (r.result === 'confirmed' && r.reasonCode != null) {
          return error(400, 'INVALID_ARGUMENT', 'a confirmed result carries no reasonCode');
        }
        if (r.result === 'denied' && r.reasonCode == null) {
          return error(400, 'INVALID_ARGUMENT', 'a denied result needs a reasonCode');
        }
      }
    }
    return undefined;
  }

  /** Forgets event ids past the idempotency window. */
  async sweep(): Promise<void> {
    await this.db.db
      .deleteFrom('operator_event_ids')
      .where('received_at', '<', this.clock.now() - REMEMBER_MS)
      .execute();
  }
}
