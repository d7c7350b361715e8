import type { DialectName } from '@signet/common';
import type { Kysely } from 'kysely';
import type { ServerDatabase } from '../../db';
import { type ImportSource, readLines, splitCsvLine } from './csv';
import type { OperatorDirectory } from './directory';
import { Batch, cachedResolver, type ImportOptions, type ImportSummary, SummaryBuilder } from './import-common';
import {
  BATCH_ROWS,
  createStaging,
  dropStaging,
  type PlanTable,
  type PrefixRow,
  type RangeRow,
  stagePrefixes,
  stageRanges,
  swapInStaging,
} from './store';

/** `registry`: the Russian numbering-plan registry CSV; `prefixes`: `prefix,operatorId` lines. */
export type PlanFormat = 'registry' | 'prefixes';

export interface PlanImportOptions extends ImportOptions {
  /** Which format the file is in; detected from its first line when absent. */
  format?: PlanFormat | undefined;
}

export interface PlanImportSummary extends ImportSummary {
  kind: 'ranges' | 'prefixes';
  /** False when nothing could be imported: the previous plan is then left as it was. */
  replaced: boolean;
  /** Ranges or prefixes the import put in the table (a range or prefix repeated in the file counts once); 0 when not replaced. */
  stored: number;
}

/** A file that is none of the formats we read. */
export class PlanFormatError extends Error {
  override name = 'PlanFormatError';
}

const E164_PREFIX = /^\+[1-9][0-9]{0,14}$/;
const NATIONAL_CODE = /^[0-9]{3}$/;
const SUBSCRIBER = /^[0-9]{1,7}$/;

/** How one format turns lines into rows of its table. */
interface PlanParser {
  table: PlanTable;
  /** The first line is a header, not a row. */
  header: boolean;
  /** The row's key and value, or a reason to skip it. */
  parse(line: string): { key: string; row: RangeRow | PrefixRow } | { unknown: string } | null;
  stage(db: Kysely<any>, dialect: DialectName, rows: (RangeRow | PrefixRow)[]): Promise<void>;
}

/**
 * Replaces the numbering plan of the file's kind (its ranges, or its prefixes) by the file's content.
 * Rows are staged in a temporary table in batches, then swapped in with one transaction, so that
 * lookups see the old plan until the new one is complete. When no row could be imported, the old plan
 * stays.
 */
export async function importPlan(
  database: ServerDatabase,
  directory: OperatorDirectory,
  source: ImportSource,
  options: PlanImportOptions = {},
): Promise<PlanImportSummary> {
  return withOneConnection(database, async (db) => {
    let parser: PlanParser | undefined;
    let builder: SummaryBuilder | undefined;
    const batch = new Batch<RangeRow | PrefixRow>(BATCH_ROWS);
    let staged = false;
    const flush = async () => {
      if (batch.size > 0 && parser) await parser.stage(db, database.dialect, batch.take());
    };
    try {
      for await (const chunk of readLines(source)) {
        for (let i = 0; i < chunk.lines.length; i++) {
          const line = chunk.lines[i]!;
          if (line.trim() === '') continue;
          if (!parser) {
            parser = detect(line, options.format, directory);
            builder = new SummaryBuilder(parser.table === 'number_ranges' ? 'ranges' : 'prefixes');
            await createStaging(db, parser.table, database.columnTypes.bigint as string);
            staged = true;
            if (parser.header) continue;
          }
          const summary = builder!.summary;
          summary.rowsRead++;
          const parsed = parser.parse(line);
          if (parsed === null) builder!.malformed(chunk.firstLine + i);
          else if ('unknown' in parsed) builder!.unknownOperator(parsed.unknown);
          else {
            batch.add(parsed.key, parsed.row);
            summary.imported++;
            if (batch.full) await flush();
          }
        }
        if (builder) builder.summary.bytesRead = chunk.bytesRead;
        options.onProgress?.(chunk.bytesRead, builder?.summary.rowsRead ?? 0);
      }
      if (!parser || !builder) throw new PlanFormatError('the file is empty');
      await flush();
      const summary = builder.summary;
      let stored = 0;
      let replaced = false;
      if (summary.imported > 0) {
        const table = parser.table;
        stored = await db.transaction().execute((tx) => swapInStaging(tx, table));
        replaced = true;
      }
      return { ...summary, kind: summary.kind as PlanImportSummary['kind'], replaced, stored };
    } finally {
      if (staged && parser) await dropStaging(db, parser.table);
    }
  });
}

/**
 * Runs `fn` on one connection, which the staging table belongs to. SQLite has a single connection,
 * which stays free for other queries between statements; PostgreSQL lends one from its pool.
 */
function withOneConnection<T>(database: ServerDatabase, fn: (db: Kysely<any>) => Promise<T>): Promise<T> {
  if (database.dialect === 'sqlite') return fn(database.db);
  return database.db.connection().execute(fn);
}

function detect(firstLine: string, format: PlanFormat | undefined, directory: OperatorDirectory): PlanParser {
  const semicolon = splitCsvLine(firstLine, ';') ?? [];
  const comma = splitCsvLine(firstLine, ',') ?? [];
  const lower = semicolon.map((f) => f.toLowerCase());
  const registryHeader = lower.includes('от') && lower.includes('до') && lower.includes('оператор');
  const registryRow = NATIONAL_CODE.test(semicolon[0] ?? '') && SUBSCRIBER.test(semicolon[1] ?? '');
  const prefixHeader = comma[0]?.toLowerCase() === 'prefix';
  const prefixRow = (comma[0] ?? '').startsWith('+');
  if ((format ?? 'registry') === 'registry' && (registryHeader || registryRow)) {
    const at = (name: string, fallback: number) => (registryHeader ? lower.indexOf(name) : fallback);
    return registryParser(directory, registryHeader, {
      code: 0,
      from: at('от', 1),
      to: at('до', 2),
      operator: at('оператор', 4),
      inn: at('инн', 7),
      width: registryHeader ? semicolon.length : 8,
    });
  }
  if ((format ?? 'prefixes') === 'prefixes' && (prefixHeader || prefixRow))
    return prefixParser(directory, prefixHeader);
  const expected =
    format === 'registry'
      ? 'the registry header АВС/ DEF;От;До;Емкость;Оператор;Регион;Территория ГАР;ИНН'
      : format === 'prefixes'
        ? 'prefix,operatorId'
        : 'the registry header (АВС/ DEF;От;До;…) or prefix,operatorId';
  throw new PlanFormatError(`unrecognised numbering plan: the first line is not ${expected}`);
}

function registryParser(
  directory: OperatorDirectory,
  header: boolean,
  col: { code: number; from: number; to: number; operator: number; inn: number; width: number },
): PlanParser {
  const resolve = cachedResolver(directory);
  return {
    table: 'number_ranges',
    header,
    parse(line) {
      const f = splitCsvLine(line, ';');
      // More fields than the header has: an unquoted `;` in a name has shifted the columns.
      if (!f || f.slice(col.width).some((x) => x !== '')) return null;
      const code = f[col.code] ?? '';
      const from = f[col.from] ?? '';
      const to = f[col.to] ?? '';
      if (!NATIONAL_CODE.test(code) || !SUBSCRIBER.test(from) || !SUBSCRIBER.test(to)) return null;
      const start = 7e10 + Number(code) * 1e7;
      const row = { start_num: start + Number(from), end_num: start + Number(to), operator_id: '' };
      if (row.start_num > row.end_num) return null;
      const name = f[col.operator] ?? '';
      const inn = col.inn >= 0 ? (f[col.inn] ?? '') : '';
      const op = (inn && resolve(inn)) || (name && resolve(name));
      if (!op) return { unknown: inn ? `${name} (ИНН ${inn})` : name || '(no operator)' };
      row.operator_id = op.id;
      return { key: `${row.start_num}:${row.end_num}`, row };
    },
    stage: (db, dialect, rows) => stageRanges(db, dialect, rows as RangeRow[]),
  };
}

function prefixParser(directory: OperatorDirectory, header: boolean): PlanParser {
  const resolve = cachedResolver(directory);
  return {
    table: 'number_prefixes',
    header,
    parse(line) {
      const f = splitCsvLine(line, ',');
      if (!f || f.length < 2) return null;
      const [prefix = '', operator = ''] = f;
      if (!E164_PREFIX.test(prefix) || operator === '') return null;
      const op = resolve(operator);
      if (!op) return { unknown: operator };
      return { key: prefix, row: { prefix, operator_id: op.id } };
    },
    stage: (db, dialect, rows) => stagePrefixes(db, dialect, rows as PrefixRow[]),
  };
}
