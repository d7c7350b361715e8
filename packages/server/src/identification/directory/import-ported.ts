import type { ServerDatabase } from '../../db';
import { type ImportSource, readLines, splitCsvLine } from './csv';
import type { OperatorDirectory } from './directory';
import { Batch, cachedResolver, type ImportOptions, type ImportSummary, SummaryBuilder } from './import-common';
import { BATCH_ROWS, type PortedRow, upsertPorted } from './store';

const NATIONAL_NUMBER = /^[0-9]{10}$/;
const COLUMNS = ['number', 'ownerid', 'mnc', 'route', 'regioncode', 'portdate', 'rowcount'];

/**
 * Merges a ported numbers export (`Number,OwnerId,MNC,Route,RegionCode,PortDate,RowCount`) into the
 * portability table: a number's row replaces what the table had for it, and a later row in the file
 * replaces an earlier one. Each batch commits on its own, so a large file never holds a long lock; an
 * interrupted import can simply be run again.
 */
export async function importPorted(
  database: ServerDatabase,
  directory: OperatorDirectory,
  source: ImportSource,
  options: ImportOptions = {},
): Promise<ImportSummary> {
  const builder = new SummaryBuilder('ported');
  const summary = builder.summary;
  const batch = new Batch<PortedRow>(BATCH_ROWS);
  const resolve = cachedResolver(directory);
  const flush = async () => {
    if (batch.size === 0) return;
    const rows = batch.take();
    await database.transaction((tx) => upsertPorted(tx, database.dialect, rows));
  };
  let delimiter = ',';
  let col: Record<string, number> | undefined;
  for await (const chunk of readLines(source)) {
    for (let i = 0; i < chunk.lines.length; i++) {
      const line = chunk.lines[i]!;
      if (line.trim() === '') continue;
      if (!col) {
        if (!line.includes(',') && line.includes(';')) delimiter = ';';
        const header = (splitCsvLine(line, delimiter) ?? []).map((f) => f.toLowerCase());
        if (header[0] === 'number' || header.includes('ownerid')) {
          col = Object.fromEntries(COLUMNS.map((name) => [name, header.indexOf(name)]));
          if (col.number! < 0) col.number = 0;
          continue;
        }
        col = Object.fromEntries(COLUMNS.map((name, at) => [name, at]));
      }
      summary.rowsRead++;
      const f = splitCsvLine(line, delimiter);
      const number = f?.[col.number!] ?? '';
      if (!f || !NATIONAL_NUMBER.test(number)) {
        builder.malformed(chunk.firstLine + i);
        continue;
      }
      const owner = f[col.ownerid!] ?? '';
      const mnc = f[col.mnc!] ?? '';
      const op = (owner && resolve(owner)) || (mnc && resolve(mnc));
      if (!op) {
        builder.unknownOperator(mnc ? `${owner} (MNC ${mnc})` : owner || '(no operator)');
        continue;
      }
      const phone = `+7${number}`;
      batch.add(phone, { phone_number: phone, operator_id: op.id, ported_at: parsePortDate(f[col.portdate!] ?? '') });
      summary.imported++;
      if (batch.full) await flush();
    }
    summary.bytesRead = chunk.bytesRead;
    options.onProgress?.(chunk.bytesRead, summary.rowsRead);
  }
  await flush();
  return summary;
}

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;
const DOTTED = /^(\d{2})\.(\d{2})\.(\d{4})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?$/;

/**
 * Milliseconds since the epoch of a port date such as `2024-01-31T12:00:00`, `2024-01-31T12:00:00+03:00`
 * or `31.01.2024 12:00`; a time without a zone is taken as UTC. Null when absent or not a real date.
 */
export function parsePortDate(text: string): number | null {
  const s = text.trim();
  let parts: [string, string, string, string?, string?, string?, string?, string?];
  const iso = ISO.exec(s);
  const dotted = iso ? null : DOTTED.exec(s);
  if (iso) parts = [iso[1]!, iso[2]!, iso[3]!, iso[4], iso[5], iso[6], iso[7], iso[8]];
  else if (dotted) parts = [dotted[3]!, dotted[2]!, dotted[1]!, dotted[4], dotted[5], dotted[6]];
  else return null;
  const [y, mo, d, h = '0', mi = '0', sec = '0', frac = '', zone] = parts;
  const fields = [Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(sec)] as const;
  const ms = Date.UTC(...fields) + Math.floor(Number(`0.${frac || '0'}`) * 1000);
  const back = new Date(ms);
  // Date.UTC rolls 31.02 over into March: a date that does not come back unchanged was not real.
  if (back.getUTCFullYear() !== fields[0] || back.getUTCMonth() !== fields[1] || back.getUTCDate() !== fields[2]) {
    return null;
  }
  if (fields[3] > 23 || fields[4] > 59 || fields[5] > 59) return null;
  if (!zone || zone.toUpperCase() === 'Z') return ms;
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.replace(/[+:-]/g, '');
  const offset = (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
  return ms - sign * offset;
}
