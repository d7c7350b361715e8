import type { Kysely, Selectable } from 'kysely';
import type { OperatorSchema } from '../db';
import type { IdentificationRequestsTable } from '../db/schema/identification-requests';
import type { Decision } from './decide';

export type RequestRow = Selectable<IdentificationRequestsTable>;
type Db = Kysely<OperatorSchema>;

export async function getRequest(db: Db, messengerId: string, requestId: string): Promise<RequestRow | undefined> {
  return db
    .selectFrom('identification_requests')
    .selectAll()
    .where('messenger_id', '=', messengerId)
    .where('request_id', '=', requestId)
    .executeTakeFirst();
}

export async function getRequests(db: Db, messengerId: string, requestIds: readonly string[]): Promise<RequestRow[]> {
  const out: RequestRow[] = [];
  for (let i = 0; i < requestIds.length; i += 500) {
    const chunk = requestIds.slice(i, i + 500);
    out.push(
      ...(await db
        .selectFrom('identification_requests')
        .selectAll()
        .where('messenger_id', '=', messengerId)
        .where('request_id', 'in', chunk)
        .execute()),
    );
  }
  return out;
}

export async function insertRequests(db: Db, rows: readonly RequestRow[]): Promise<void> {
  // 14 parameters a row: 500 rows stay below either dialect's parameter limit.
  for (let i = 0; i < rows.length; i += 500) {
    await db
      .insertInto('identification_requests')
      .values(rows.slice(i, i + 500))
      .execute();
  }
}

/** Requests whose decision is due, oldest first. */
export async function dueRequests(db: Db, now: number, limit: number): Promise<RequestRow[]> {
  return db
    .selectFrom('identification_requests')
    .selectAll()
    .where('decided_at', 'is', null)
    .where('due_at', '<=', now)
    .orderBy('due_at')
    .limit(limit)
    .execute();
}

/**
 * Records the decisions unless another worker did first; answers the rows this call recorded. Decisions that
 * share their values (most do: one result, one time) go in one statement.
 */
export async function recordDecisions(
  db: Db,
  decisions: ReadonlyArray<{ row: RequestRow; decision: Decision }>,
  at: number,
): Promise<RequestRow[]> {
  const groups = new Map<string, Array<{ row: RequestRow; decision: Decision }>>();
  for (const d of decisions) {
    const key = JSON.stringify([d.row.messenger_id, d.decision.result, d.decision.reasonCode]);
    const group = groups.get(key);
    if (group) group.push(d);
    else groups.set(key, [d]);
  }
  const recorded = new Set<string>();
  for (const group of groups.values()) {
    const { row, decision } = group[0] as { row: RequestRow; decision: Decision };
    for (let i = 0; i < group.length; i += 500) {
      const ids = await db
        .updateTable('identification_requests')
        .set({ result: decision.result, reason_code: decision.reasonCode, decided_at: at })
        .where('messenger_id', '=', row.messenger_id)
        .where(
          'request_id',
          'in',
          group.slice(i, i + 500).map((d) => d.row.request_id),
        )
        .where('decided_at', 'is', null)
        .returning('request_id')
        .execute();
      for (const { request_id } of ids) recorded.add(`${row.messenger_id} ${request_id}`);
    }
  }
  return decisions.map((d) => d.row).filter((r) => recorded.has(`${r.messenger_id} ${r.request_id}`));
}

/** Time from the messenger's requestedAt to the decision, of every decided request, for the report. */
export async function answerTimes(
  db: Db,
): Promise<Array<{ messenger_id: string; requested_at_ms: number; decided_at: number }>> {
  const rows = await db
    .selectFrom('identification_requests')
    .select(['messenger_id', 'requested_at_ms', 'decided_at'])
    .where('decided_at', 'is not', null)
    .execute();
  return rows as Array<{ messenger_id: string; requested_at_ms: number; decided_at: number }>;
}

export async function countUndecided(db: Db): Promise<number> {
  const row = await db
    .selectFrom('identification_requests')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('decided_at', 'is', null)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}
