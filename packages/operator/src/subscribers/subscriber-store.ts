import type { Kysely, Selectable } from 'kysely';
import type { OperatorSchema } from '../db';
import type { SubscribersTable } from '../db/schema/subscribers';

export type SubscriberRow = Selectable<SubscribersTable>;
type Db = Kysely<OperatorSchema>;

/** The number's subscriber; `lock` takes the row lock on PostgreSQL so that a decision and a termination serialise. */
export async function getSubscriber(db: Db, phone: string, lock = false): Promise<SubscriberRow | undefined> {
  let q = db.selectFrom('subscribers').selectAll().where('phone_number', '=', phone);
  if (lock) q = q.forUpdate();
  return q.executeTakeFirst();
}

/** Several subscribers at once; `lock` locks them in number order (PostgreSQL), so that lockers never deadlock. */
export async function getSubscribers(db: Db, phones: readonly string[], lock = false): Promise<SubscriberRow[]> {
  const out: SubscriberRow[] = [];
  for (let i = 0; i < phones.length; i += 500) {
    let q = db
      .selectFrom('subscribers')
      .selectAll()
      .where('phone_number', 'in', phones.slice(i, i + 500))
      .orderBy('phone_number');
    if (lock) q = q.forUpdate();
    out.push(...(await q.execute()));
  }
  return out;
}

export async function insertSubscribers(db: Db, rows: readonly SubscriberRow[]): Promise<void> {
  // 6 parameters a row: chunks stay far below either dialect's parameter limit.
  for (let i = 0; i < rows.length; i += 500) {
    await db
      .insertInto('subscribers')
      .values(rows.slice(i, i + 500))
      .execute();
  }
}

export async function updateSubscriber(
  db: Db,
  phone: string,
  patch: Partial<Omit<SubscriberRow, 'phone_number' | 'created_at'>>,
): Promise<void> {
  await db.updateTable('subscribers').set(patch).where('phone_number', '=', phone).execute();
}

export async function countSubscribers(db: Db): Promise<Record<string, number>> {
  const rows = await db
    .selectFrom('subscribers')
    .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy('status')
    .execute();
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
}
