import { type Clock, isUniqueViolation, sha256Hex } from '@signet/common';
import type { Kysely } from 'kysely';
import type { OperatorDatabase, OperatorSchema } from '../db';
import { idReused } from '../errors';
import { deleteKeysBefore, getKey, type IdempotencyRow, insertKey, setAnswer } from './idempotency-store';

/** An answer as it goes on the wire, kept byte for byte so that a replay is identical. */
export interface StoredAnswer {
  status: number;
  body: string;
}

class NotRemembered extends Error {
  constructor(readonly answer: StoredAnswer) {
    super('answer not remembered');
  }
}

/**
 * Runs `act` at most once per (messenger, webhook-id) (spec 2). The key is claimed inside the transaction
 * that acts, so acting and remembering commit together, and a concurrent twin waits on the key and then
 * replays. Only 2xx answers are remembered; anything thrown rolls back and leaves the id free for a retry.
 */
export async function runIdempotent(
  deps: { db: OperatorDatabase; clock: Clock; ttlMs: number },
  key: { messengerId: string; webhookId: string; body: Uint8Array },
  act: (tx: Kysely<OperatorSchema>) => Promise<StoredAnswer>,
): Promise<StoredAnswer> {
  const digest = sha256Hex(key.body);
  const since = deps.clock.now() - deps.ttlMs;
  for (let attempt = 1; ; attempt++) {
    const prior = await getKey(deps.db.db, key.messengerId, key.webhookId, since);
    if (prior) return replay(prior, digest);
    try {
      return await actOnce(deps, key, digest, since, act);
    } catch (error) {
      if (error instanceof NotRemembered) return error.answer;
      // A concurrent request wrote first (this id, or a row `act` writes too): look again, once.
      if (!isUniqueViolation(error) || attempt > 1) throw error;
    }
  }
}

async function actOnce(
  deps: { db: OperatorDatabase; clock: Clock },
  key: { messengerId: string; webhookId: string },
  digest: string,
  since: number,
  act: (tx: Kysely<OperatorSchema>) => Promise<StoredAnswer>,
): Promise<StoredAnswer> {
  return deps.db.transaction(async (tx) => {
    await deleteKeysBefore(tx, since, key.messengerId, key.webhookId);
    await insertKey(tx, {
      messenger_id: key.messengerId,
      webhook_id: key.webhookId,
      body_digest: digest,
      status: 0,
      response_body: '',
      created_at: deps.clock.now(),
    });
    const answer = await act(tx);
    if (answer.status < 200 || answer.status > 299) throw new NotRemembered(answer);
    await setAnswer(tx, key.messengerId, key.webhookId, answer.status, answer.body);
    return answer;
  });
}

function replay(row: IdempotencyRow, digest: string): StoredAnswer {
  if (row.body_digest !== digest) throw idReused('webhook-id was used before for a different body');
  return { status: row.status, body: row.response_body };
}

/** Forgets keys older than the retention; returns how many. */
export async function sweepIdempotencyKeys(db: OperatorDatabase, now: number, ttlMs: number): Promise<number> {
  return deleteKeysBefore(db.db, now - ttlMs);
}
