import type { Kysely, Selectable } from 'kysely';
import type { OperatorSchema } from '../db';
import type { OutboxEventsTable } from '../db/schema/outbox-events';

export type OutboxRow = Selectable<OutboxEventsTable>;
type Db = Kysely<OperatorSchema>;

export async function insertEvent(db: Db, row: OutboxRow): Promise<void> {
  await db.insertInto('outbox_events').values(row).execute();
}

export async function getEvent(db: Db, id: string): Promise<OutboxRow | undefined> {
  return db.selectFrom('outbox_events').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listEvents(db: Db, messengerId?: string): Promise<OutboxRow[]> {
  let q = db.selectFrom('outbox_events').selectAll();
  if (messengerId) q = q.where('messenger_id', '=', messengerId);
  return q.orderBy('created_at').orderBy('id').execute();
}

export async function dueEvents(
  db: Db,
  now: number,
  limit: number,
): Promise<Array<Pick<OutboxRow, 'id' | 'next_attempt_at'>>> {
  return db
    .selectFrom('outbox_events')
    .select(['id', 'next_attempt_at'])
    .where('state', '=', 'pending')
    .where('next_attempt_at', '<=', now)
    .orderBy('next_attempt_at')
    .limit(limit)
    .execute();
}

/**
 * Claims a due event by moving its next attempt to the end of a lease, only if nobody moved it since it was
 * read: one statement, so it is atomic on both dialects and across processes. A worker that dies mid-attempt
 * leaves the event to be retried when the lease ends.
 */
export async function claimEvent(db: Db, id: string, seenNext: number, leaseUntil: number): Promise<boolean> {
  const r = await db
    .updateTable('outbox_events')
    .set({ next_attempt_at: leaseUntil })
    .where('id', '=', id)
    .where('state', '=', 'pending')
    .where('next_attempt_at', '=', seenNext)
    .executeTakeFirst();
  return r.numUpdatedRows > 0n;
}

export async function updateEvent(
  db: Db,
  id: string,
  patch: Partial<Omit<OutboxRow, 'id' | 'messenger_id' | 'type' | 'body' | 'created_at'>>,
): Promise<void> {
  await db.updateTable('outbox_events').set(patch).where('id', '=', id).execute();
}

/** Per messenger: how many decided results no event carries yet, and the oldest decision among them. */
export async function unsentResultGroups(db: Db): Promise<Array<{ messenger_id: string; n: number; oldest: number }>> {
  const rows = await db
    .selectFrom('identification_requests')
    .select(['messenger_id', (eb) => eb.fn.countAll<number>().as('n'), (eb) => eb.fn.min('decided_at').as('oldest')])
    .where('decided_at', 'is not', null)
    .where('event_id', 'is', null)
    .groupBy('messenger_id')
    .execute();
  return rows.map((r) => ({ messenger_id: r.messenger_id, n: Number(r.n), oldest: Number(r.oldest) }));
}

export async function unsentNoticeGroups(db: Db): Promise<Array<{ messenger_id: string; n: number; oldest: number }>> {
  const rows = await db
    .selectFrom('termination_notices')
    .select(['messenger_id', (eb) => eb.fn.countAll<number>().as('n'), (eb) => eb.fn.min('terminated_at').as('oldest')])
    .where('event_id', 'is', null)
    .groupBy('messenger_id')
    .execute();
  return rows.map((r) => ({ messenger_id: r.messenger_id, n: Number(r.n), oldest: Number(r.oldest) }));
}
