import type { Kysely, Selectable } from 'kysely';
import type { OperatorSchema } from '../db';
import type { TerminationNoticesTable } from '../db/schema/termination-notices';

export type NoticeRow = Selectable<TerminationNoticesTable>;
type Db = Kysely<OperatorSchema>;

export async function insertNotices(db: Db, rows: readonly NoticeRow[]): Promise<void> {
  if (rows.length > 0) await db.insertInto('termination_notices').values(rows).execute();
}

export async function noticesOfNumber(db: Db, phone: string): Promise<NoticeRow[]> {
  return db
    .selectFrom('termination_notices')
    .selectAll()
    .where('phone_number', '=', phone)
    .orderBy('terminated_at')
    .execute();
}

/** Every notice, oldest first, for the service-level report. */
export async function allNotices(db: Db): Promise<NoticeRow[]> {
  return db.selectFrom('termination_notices').selectAll().orderBy('terminated_at').orderBy('notice_id').execute();
}

/** Records the 2xx that delivered the event as each carried notice's delivery (4.4: the operator must prove it). */
export async function markNoticesDelivered(db: Db, eventId: string, at: number): Promise<void> {
  await db
    .updateTable('termination_notices')
    .set({ delivered_at: at })
    .where('event_id', '=', eventId)
    .where('delivered_at', 'is', null)
    .execute();
}
