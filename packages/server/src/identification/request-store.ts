import type { Kysely, Selectable } from 'kysely';
import type { Schema } from '../db';
import type { IdentificationRequestsTable } from '../db/schema/identification';

export type RequestRow = Selectable<IdentificationRequestsTable>;

export async function insertRequest(db: Kysely<Schema>, row: RequestRow): Promise<void> {
  await db.insertInto('identification_requests').values(row).execute();
}

export async function getRequest(db: Kysely<Schema>, requestId: string): Promise<RequestRow | undefined> {
  return db.selectFrom('identification_requests').selectAll().where('request_id', '=', requestId).executeTakeFirst();
}

export async function getRequests(db: Kysely<Schema>, requestIds: string[]): Promise<RequestRow[]> {
  if (requestIds.length === 0) return [];
  return db.selectFrom('identification_requests').selectAll().where('request_id', 'in', requestIds).execute();
}

export async function requestsOfAccount(db: Kysely<Schema>, accountId: string, limit = 20): Promise<RequestRow[]> {
  return db
    .selectFrom('identification_requests')
    .selectAll()
    .where('account_id', '=', accountId)
    .orderBy('requested_at', 'desc')
    .limit(limit)
    .execute();
}

/** Pending requests whose deadline has passed (a result at the deadline itself is in time). */
export async function overdueRequests(db: Kysely<Schema>, now: number, limit: number): Promise<RequestRow[]> {
  return db
    .selectFrom('identification_requests')
    .selectAll()
    .where('status', '=', 'pending')
    .where('deadline_at', '<', now)
    .limit(limit)
    .execute();
}

export async function settleRequest(
  db: Kysely<Schema>,
  requestId: string,
  patch: Partial<
    Pick<RequestRow, 'status' | 'failure' | 'decided_at' | 'result_received_at' | 'late_result' | 'accepted_at'>
  >,
  onlyIfPending = true,
): Promise<boolean> {
  let q = db.updateTable('identification_requests').set(patch).where('request_id', '=', requestId);
  if (onlyIfPending) q = q.where('status', '=', 'pending');
  const result = await q.executeTakeFirst();
  return result.numUpdatedRows > 0n;
}
