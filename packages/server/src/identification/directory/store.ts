import type { DialectName } from '@signet/common';
import { CompiledQuery, type Kysely, sql } from 'kysely';
import type { Schema } from '../../db';

/*
 * SQL of the operator directory. Lookups are one indexed query each; imports write in multi-row
 * inserts of at most BATCH_ROWS rows, 3 parameters a row: 15,000 parameters, under both SQLite's
 * 32,766 and PostgreSQL's 65,535.
 */
export const BATCH_ROWS = 5000;

export interface RangeRow {
  start_num: number;
  end_num: number;
  operator_id: string;
}

export interface PrefixRow {
  prefix: string;
  operator_id: string;
}

export interface PortedRow {
  phone_number: string;
  operator_id: string;
  ported_at: number | null;
}

export async function findPorted(db: Kysely<Schema>, e164: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('ported_numbers')
    .select('operator_id')
    .where('phone_number', '=', e164)
    .executeTakeFirst();
  return row?.operator_id;
}

/** The ported numbers among `numbers`, in one query. */
export async function findPortedMany(db: Kysely<Schema>, numbers: string[]): Promise<Map<string, string>> {
  if (numbers.length === 0) return new Map();
  const rows = await db
    .selectFrom('ported_numbers')
    .select(['phone_number', 'operator_id'])
    .where('phone_number', 'in', numbers)
    .execute();
  return new Map(rows.map((r) => [r.phone_number, r.operator_id]));
}

/** Whether a plan table has any row: an empty one needs no probe per number. */
export async function tableHasRows(db: Kysely<Schema>, table: 'number_ranges' | 'number_prefixes'): Promise<boolean> {
  const row = await db.selectFrom(table).select(sql<number>`1`.as('one')).limit(1).executeTakeFirst();
  return row !== undefined;
}

/** Every prefix and its operator, when there are at most `max`; undefined when there are more. */
export async function loadPrefixes(db: Kysely<Schema>, max: number): Promise<Map<string, string> | undefined> {
  const rows = await db
    .selectFrom('number_prefixes')
    .select(['prefix', 'operator_id'])
    .limit(max + 1)
    .execute();
  return rows.length > max ? undefined : new Map(rows.map((r) => [r.prefix, r.operator_id]));
}

/** The operator of the range holding `n` (international digits as a number), if one does. */
export async function findRange(db: Kysely<Schema>, n: number): Promise<string | undefined> {
  const row = await db
    .selectFrom('number_ranges')
    .select(['end_num', 'operator_id'])
    .where('start_num', '<=', n)
    .orderBy('start_num', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row && Number(row.end_num) >= n ? row.operator_id : undefined;
}

/** The operator of the longest of `prefixes` in the table (each is a primary-key probe). */
export async function findLongestPrefix(db: Kysely<Schema>, prefixes: string[]): Promise<string | undefined> {
  const row = await db
    .selectFrom('number_prefixes')
    .select('operator_id')
    .where('prefix', 'in', prefixes)
    .orderBy(sql`length(prefix)`, 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.operator_id;
}

export function upsertPorted(db: Kysely<any>, dialect: DialectName, rows: PortedRow[]): Promise<void> {
  return insertMany(db, dialect, PORTED, rows);
}

/*
 * A plan import fills a temporary staging table first, then swaps it in with one short transaction.
 * Temporary tables belong to the connection, so the caller holds one connection throughout. On SQLite
 * they live outside the main file, so filling them takes no lock that would stall the server's writes;
 * on both dialects readers see the old plan until the swap commits.
 */
export type PlanTable = 'number_ranges' | 'number_prefixes';

const STAGING: Record<PlanTable, string> = {
  number_ranges: 'signet_staging_ranges',
  number_prefixes: 'signet_staging_prefixes',
};

export async function createStaging(db: Kysely<any>, table: PlanTable, bigint: string): Promise<void> {
  const name = sql.table(STAGING[table]);
  await sql`drop table if exists ${name}`.execute(db);
  if (table === 'number_ranges') {
    await sql`create temporary table ${name} (start_num ${sql.raw(bigint)} not null, end_num ${sql.raw(bigint)} not null,
      operator_id text not null, primary key (start_num, end_num))`.execute(db);
  } else {
    await sql`create temporary table ${name} (prefix text not null primary key, operator_id text not null)`.execute(db);
  }
}

export async function dropStaging(db: Kysely<any>, table: PlanTable): Promise<void> {
  await sql`drop table if exists ${sql.table(STAGING[table])}`.execute(db);
}

/** Stages rows; a later row for the same key wins, so the caller passes a batch without repeats. */
export function stageRanges(db: Kysely<any>, dialect: DialectName, rows: RangeRow[]): Promise<void> {
  return insertMany(db, dialect, STAGED_RANGES, rows);
}

export function stagePrefixes(db: Kysely<any>, dialect: DialectName, rows: PrefixRow[]): Promise<void> {
  return insertMany(db, dialect, STAGED_PREFIXES, rows);
}

/** Replaces the table's content by the staging table's, in the caller's transaction; returns the rows now in it. */
export async function swapInStaging(db: Kysely<any>, table: PlanTable): Promise<number> {
  const staging = sql.table(STAGING[table]);
  // DELETE rather than TRUNCATE: PostgreSQL's TRUNCATE would lock out readers until commit.
  await sql`delete from ${sql.table(table)}`.execute(db);
  const columns = table === 'number_ranges' ? sql`start_num, end_num, operator_id` : sql`prefix, operator_id`;
  const order = table === 'number_ranges' ? sql`start_num, end_num` : sql`prefix`;
  const result =
    await sql`insert into ${sql.table(table)} (${columns}) select ${columns} from ${staging} order by ${order}`.execute(
      db,
    );
  return Number(result.numAffectedRows ?? 0n);
}

/** A multi-row insert written out by hand: building 15,000-parameter statements through the query builder costs more than running them. */
interface BulkInsert<Row> {
  table: string;
  columns: (keyof Row & string)[];
  /** What to do when a key is already there. */
  onConflict: string;
  /** The statement for a full batch, per dialect, built once. */
  cache: Map<string, string>;
}

const PORTED: BulkInsert<PortedRow> = {
  table: 'ported_numbers',
  columns: ['phone_number', 'operator_id', 'ported_at'],
  onConflict:
    'on conflict (phone_number) do update set operator_id = excluded.operator_id, ported_at = excluded.ported_at',
  cache: new Map(),
};
const STAGED_RANGES: BulkInsert<RangeRow> = {
  table: STAGING.number_ranges,
  columns: ['start_num', 'end_num', 'operator_id'],
  onConflict: 'on conflict (start_num, end_num) do update set operator_id = excluded.operator_id',
  cache: new Map(),
};
const STAGED_PREFIXES: BulkInsert<PrefixRow> = {
  table: STAGING.number_prefixes,
  columns: ['prefix', 'operator_id'],
  onConflict: 'on conflict (prefix) do update set operator_id = excluded.operator_id',
  cache: new Map(),
};

async function insertMany<Row>(
  db: Kysely<any>,
  dialect: DialectName,
  insert: BulkInsert<Row>,
  rows: Row[],
): Promise<void> {
  if (rows.length === 0) return;
  const key = `${dialect}:${rows.length}`;
  let text = insert.cache.get(key);
  if (text === undefined) {
    const width = insert.columns.length;
    const tuples: string[] = [];
    for (let r = 0; r < rows.length; r++) {
      const marks = insert.columns.map((_, c) => (dialect === 'postgres' ? `$${r * width + c + 1}` : '?'));
      tuples.push(`(${marks.join(',')})`);
    }
    text = `insert into ${insert.table} (${insert.columns.join(', ')}) values ${tuples.join(',')} ${insert.onConflict}`;
    // Only full batches repeat; the last, shorter one of each import is not worth keeping.
    if (rows.length === BATCH_ROWS) insert.cache.set(key, text);
  }
  const params: unknown[] = [];
  for (const row of rows) for (const c of insert.columns) params.push(row[c]);
  await db.executeQuery(CompiledQuery.raw(text, params));
}
