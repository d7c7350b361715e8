import type { Kysely, Selectable } from 'kysely';
import type { OperatorSchema } from '../db';
import type { IdempotencyKeysTable } from '../db/schema/idempotency-keys';

export type IdempotencyRow = Selectable<IdempotencyKeysTable>;
type Db = Kysely<OperatorSchema>;

/** The remembered use of a webhook-id, if it is younger than `since`. */
export async function getKey(db: Db, messengerId: string, webhookId: string, since: number) {
  return db
    .selectFrom('idempotency_keys')
    .selectAll()
    .where('messenger_id', '=', messengerId)
    .where('webhook_id', '=', webhookId)
    .where('created_at', '>=', since)
    .executeTakeFirst();
}

/** Inserts the key; fails with a unique violation when another request holds it (and waits for it on PostgreSQL). */
export async function insertKey(db: Db, row: IdempotencyRow): Promise<void> {
  await db.insertInto('idempotency_keys').values(row).execute();
}

export async function setAnswer(db: Db, messengerId: string, webhookId: string, status: number, body: string) {
  await db
    .updateTable('idempotency_keys')
    .set({ status, response_body: body })
    .where('messenger_id', '=', messengerId)
    .where('webhook_id', '=', webhookId)
    .execute();
}

export async function deleteKeysBefore(
  db: Db,
  before: number,
  messengerId?: string,
  webhookId?: string,
): Promise<number> {
  let q = db.deleteFrom('idempotency_keys').where('created_at', '<', before);
  if (messengerId !== undefined) q = q.where('messenger_id', '=', messengerId);
  if (webhookId !== undefined) q = q.where('webhook_id', '=', webhookId);
  const r = await q.executeTakeFirst();
  return Number(r.numDeletedRows);
}
