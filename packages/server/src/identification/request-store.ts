import { type Kysely, type Selectable, sql, type Updateable } from 'kysely';
import type { Schema } from '../db';
import type { AccountsTable } from '../db/schema/accounts';
import type { IdentificationRequestsTable } from '../db/schema/identification';

export type RequestRow = Selectable<IdentificationRequestsTable>;

/** Rows or ids in one statement: far below either dialect's parameter limit (17 columns a request row). */
const CHUNK = 500;

function chunks<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK) out.push(items.slice(i, i + CHUNK));
  return out;
}

export async function insertRequests(db: Kysely<Schema>, rows: readonly RequestRow[]): Promise<void> {
  for (const chunk of chunks(rows)) await db.insertInto('identification_requests').values(chunk).execute();
}

/**
 * Points each account at its new request, with the state and failure that go with it: one statement a chunk
 * (UPDATE … FROM VALUES, which both dialects read alike) instead of one an account.
 */
export async function setCurrentRequests(
  db: Kysely<Schema>,
  rows: ReadonlyArray<{ accountId: string; requestId: string; state: 'pending' | 'failed'; failure: string | null }>,
): Promise<void> {
  for (const chunk of chunks(rows)) {
    const values = chunk.map((r) => sql`(${r.accountId}, ${r.requestId}, ${r.state}, ${r.failure})`);
    await sql`update accounts
      set identification_request_id = v.column2, state = v.column3, identification_failure = v.column4
      from (values ${sql.join(values)}) as v
      where accounts.id = v.column1`.execute(db);
  }
}

/**
 * Moves the accounts whose current request is one of these, and that still wait on it, with `patch`;
 * answers the ids of the accounts it moved. (An account's current request is always one of its own.)
 */
export async function settleAccounts(
  db: Kysely<Schema>,
  reqs: ReadonlyArray<Pick<RequestRow, 'account_id' | 'request_id'>>,
  patch: Updateable<AccountsTable>,
): Promise<string[]> {
  const moved: string[] = [];
  for (const chunk of chunks(reqs)) {
    const rows = await db
      .updateTable('accounts')
      .set(patch)
      .where(
        'id',
        'in',
        chunk.map((r) => r.account_id),
      )
      .where(
        'identification_request_id',
        'in',
        chunk.map((r) => r.request_id),
      )
      .where('state', '=', 'pending')
      .returning('id')
      .execute();
    moved.push(...rows.map((r) => r.id));
  }
  return moved;
}

export async function getRequest(db: Kysely<Schema>, requestId: string): Promise<RequestRow | undefined> {
  return db.selectFrom('identification_requests').selectAll().where('request_id', '=', requestId).executeTakeFirst();
}

/** Several requests by id; `lock` takes their row locks (PostgreSQL), in id order so that lockers never deadlock. */
export async function getRequests(
  db: Kysely<Schema>,
  requestIds: readonly string[],
  lock = false,
): Promise<RequestRow[]> {
  const out: RequestRow[] = [];
  for (const chunk of chunks(requestIds)) {
    let q = db.selectFrom('identification_requests').selectAll().where('request_id', 'in', chunk);
    if (lock) q = q.orderBy('request_id').forUpdate();
    out.push(...(await q.execute()));
  }
  return out;
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

type SettlePatch = Partial<
  Pick<RequestRow, 'status' | 'failure' | 'decided_at' | 'result_received_at' | 'late_result' | 'accepted_at'>
>;

/**
 * One patch for many requests, found by id alone: the caller read them in its transaction and knows their
 * status. (With a status condition too, SQLite would walk every pending request by the status index.)
 */
export async function settleRequests(
  db: Kysely<Schema>,
  requestIds: readonly string[],
  patch: SettlePatch,
): Promise<void> {
  for (const chunk of chunks(requestIds)) {
    await db.updateTable('identification_requests').set(patch).where('request_id', 'in', chunk).execute();
  }
}

export async function settleRequest(
  db: Kysely<Schema>,
  requestId: string,
  patch: SettlePatch,
  onlyIfPending = true,
): Promise<boolean> {
  let q = db.updateTable('identification_requests').set(patch).where('request_id', '=', requestId);
  if (onlyIfPending) q = q.where('status', '=', 'pending');
  const result = await q.executeTakeFirst();
  return result.numUpdatedRows > 0n;
}
