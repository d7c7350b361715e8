import {
  type IdentificationAccepted,
  type IdentificationRequestItem,
  MAX_BATCH,
  type RejectedItem,
} from '@signet/protocol';
import type { Kysely } from 'kysely';
import type { OperatorSchema } from '../db';
import { invalidArgument, tooLarge } from '../errors';
import { compareInstants } from '../time';
import { getRequests, insertRequests, type RequestRow } from './request-store';
import { checkItem } from './validate-item';

export interface AcceptSettings {
  now: number;
  /** The answer delay: a request is decided this long after it was accepted. */
  delayMs: number;
  /** Numbers this operator never answers. */
  silentNumbers: ReadonlySet<string>;
}

/**
 * Accepts a batch (4.1) inside the caller's transaction: checks the envelope as a whole (400, 413), then
 * each item alone, and stores the new requests for the decider. A requestId seen before is accepted again
 * without acting when every field is the same, and rejected ID_REUSED otherwise.
 */
export async function acceptBatch(
  tx: Kysely<OperatorSchema>,
  settings: AcceptSettings,
  messengerId: string,
  body: unknown,
): Promise<IdentificationAccepted> {
  const requests = (body as { requests?: unknown }).requests;
  if (!Array.isArray(requests)) throw invalidArgument('requests: expected a list of 1 to 1000 requests');
  if (requests.length === 0) throw invalidArgument('requests: the list is empty');
  if (requests.length > MAX_BATCH) throw tooLarge(`requests: ${requests.length} items, at most ${MAX_BATCH}`);

  const rejected: RejectedItem[] = [];
  const valid: Array<{ index: number; item: IdentificationRequestItem; requestedAtMs: number }> = [];
  const seen = new Set<string>();
  requests.forEach((value, index) => {
    const check = checkItem(value);
    const id = check.ok ? check.item.requestId : check.requestId;
    if (id !== null && seen.has(id)) {
      rejected.push({ index, requestId: id, code: 'INVALID_ARGUMENT', message: 'requestId repeats within the batch' });
      return;
    }
    if (id !== null) seen.add(id);
    if (!check.ok)
      rejected.push({ index, requestId: check.requestId, code: 'INVALID_ARGUMENT', message: check.message });
    else valid.push({ index, item: check.item, requestedAtMs: check.requestedAtMs });
  });

  const earlier = new Map(
    (
      await getRequests(
        tx,
        messengerId,
        valid.map((v) => v.item.requestId),
      )
    ).map((r) => [r.request_id, r]),
  );
  const accepted: Array<{ index: number; requestId: string }> = [];
  const fresh: RequestRow[] = [];
  for (const { index, item, requestedAtMs } of valid) {
    const before = earlier.get(item.requestId);
    if (before && !sameRequest(before, item)) {
      rejected.push({
        index,
        requestId: item.requestId,
        code: 'ID_REUSED',
        message: 'requestId was accepted earlier with other fields',
      });
      continue;
    }
    accepted.push({ index, requestId: item.requestId });
    if (!before) fresh.push(newRequest(messengerId, item, requestedAtMs, settings));
  }
  await insertRequests(tx, fresh);
  rejected.sort((a, b) => a.index - b.index);
  return { accepted: accepted.map((a) => a.requestId), rejected };
}

function sameRequest(row: RequestRow, item: IdentificationRequestItem): boolean {
  return (
    row.user_code === item.userCode &&
    row.phone_number === item.phoneNumber &&
    row.reason === item.reason &&
    compareInstants(row.possession_verified_at, item.possessionVerifiedAt) === 0 &&
    compareInstants(row.requested_at, item.requestedAt) === 0
  );
}

function newRequest(
  messengerId: string,
  item: IdentificationRequestItem,
  requestedAtMs: number,
  s: AcceptSettings,
): RequestRow {
  return {
    messenger_id: messengerId,
    request_id: item.requestId,
    user_code: item.userCode,
    phone_number: item.phoneNumber,
    reason: item.reason,
    possession_verified_at: item.possessionVerifiedAt,
    requested_at: item.requestedAt,
    requested_at_ms: requestedAtMs,
    accepted_at: s.now,
    due_at: s.silentNumbers.has(item.phoneNumber) ? null : s.now + s.delayMs,
    decided_at: null,
    result: null,
    reason_code: null,
    event_id: null,
  };
}
