import type { Kysely, Selectable } from 'kysely';
import type { Schema } from '../db';
import type { AuditLogTable } from '../db/schema/audit';

export type AuditRow = Selectable<AuditLogTable>;

/** Rows in one insert: 9 parameters a row stays far below either dialect's limit. */
const CHUNK = 500;

/** The head row, locked until the commit on PostgreSQL (`lock`), so that appenders take turns. */
export async function readHead(db: Kysely<Schema>, lock: boolean): Promise<{ seq: number; hash: string }> {
  let q = db.selectFrom('audit_head').select(['seq', 'hash']).where('id', '=', 1);
  if (lock) q = q.forUpdate();
  return q.executeTakeFirstOrThrow();
}

export async function writeHead(db: Kysely<Schema>, seq: number, hash: string): Promise<void> {
  await db.updateTable('audit_head').set({ seq, hash }).where('id', '=', 1).execute();
}

export async function insertEntries(db: Kysely<Schema>, rows: readonly AuditRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) {
    await db
      .insertInto('audit_log')
      .values(rows.slice(i, i + CHUNK))
      .execute();
  }
}

/** A page of the chain in order, after `afterSeq` and up to `upTo`. */
export async function entriesAfter(
  db: Kysely<Schema>,
  afterSeq: number,
  upTo: number,
  limit: number,
): Promise<AuditRow[]> {
  return db
    .selectFrom('audit_log')
    .selectAll()
    .where('seq', '>', afterSeq)
    .where('seq', '<=', upTo)
    .orderBy('seq')
    .limit(limit)
    .execute();
}

export async function maxSeq(db: Kysely<Schema>): Promise<number> {
  const row = await db
    .selectFrom('audit_log')
    .select((eb) => eb.fn.max('seq').as('n'))
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

export async function countEntries(db: Kysely<Schema>): Promise<number> {
  const row = await db
    .selectFrom('audit_log')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Entries of a period (`from` inclusive, `to` exclusive), optionally of some kinds only, in order. */
export async function entriesBetween(
  db: Kysely<Schema>,
  from: number,
  to: number,
  afterSeq: number,
  limit: number,
): Promise<AuditRow[]> {
  return db
    .selectFrom('audit_log')
    .selectAll()
    .where('at', '>=', from)
    .where('at', '<', to)
    .where('seq', '>', afterSeq)
    .orderBy('seq')
    .limit(limit)
    .execute();
}
