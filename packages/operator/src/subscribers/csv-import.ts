import type { Clock, Logger } from '@signet/common';
import type { Kysely } from 'kysely';
import type { OperatorDatabase, OperatorSchema } from '../db';
import { endContract } from './contract-end';
import { type CsvSubscriber, readHeader, readRow, splitCsvLine } from './csv';
import { newSubscriber } from './subscriber-manager';
import { getSubscribers, insertSubscribers, type SubscriberRow, updateSubscriber } from './subscriber-store';

export interface ImportSummary {
  rows: number;
  created: number;
  updated: number;
  /** Active contracts the file ended; their notices are queued. */
  ended: number;
  unchanged: number;
  errorCount: number;
  /** The first problems, by line number. */
  errors: Array<{ line: number; message: string }>;
  noticesQueued: number;
}

export interface ImportOptions {
  batchSize?: number;
  /** Called after each committed batch with the number of data lines read so far. */
  onProgress?: (linesRead: number) => void;
}

const KEPT_ERRORS = 100;

/**
 * Imports `phoneNumber,status,identityComplete` lines (header first) in batches, one transaction each, so a
 * file of millions of lines streams through in bounded memory. A line that ends an active contract goes
 * through the termination path: the messengers where the number is registered get their notice.
 */
export async function importSubscribersCsv(
  deps: { db: OperatorDatabase; clock: Clock; log: Logger; onNoticesQueued: () => void },
  lines: AsyncIterable<string> | Iterable<string>,
  options: ImportOptions = {},
): Promise<ImportSummary> {
  const summary: ImportSummary = {
    rows: 0,
    created: 0,
    updated: 0,
    ended: 0,
    unchanged: 0,
    errorCount: 0,
    errors: [],
    noticesQueued: 0,
  };
  const problem = (line: number, message: string) => {
    summary.errorCount++;
    if (summary.errors.length < KEPT_ERRORS) summary.errors.push({ line, message });
  };
  const batchSize = options.batchSize ?? 1000;
  let header: ReturnType<typeof readHeader> | undefined;
  let batch: CsvSubscriber[] = [];
  let lineNo = 0;
  const flush = async () => {
    if (batch.length === 0) return;
    const rows = batch;
    batch = [];
    await deps.db.transaction((tx) => applyBatch(tx, rows, deps.clock.now(), summary));
    options.onProgress?.(summary.rows);
  };
  for await (const raw of lines) {
    lineNo++;
    const line = raw.replace(/\r$/, '');
    if (line.trim() === '') continue;
    if (header === undefined) {
      header = readHeader(line);
      if (typeof header === 'string') {
        problem(lineNo, header);
        return summary;
      }
      continue;
    }
    summary.rows++;
    const row = readRow(splitCsvLine(line), header as Exclude<typeof header, string>);
    if (typeof row === 'string') problem(lineNo, row);
    else batch.push(row);
    if (batch.length >= batchSize) await flush();
  }
  await flush();
  if (header === undefined) problem(0, 'the file is empty; expected a header phoneNumber,status,identityComplete');
  if (summary.noticesQueued > 0) deps.onNoticesQueued();
  deps.log.info({ ...summary, errors: undefined }, 'subscribers imported');
  return summary;
}

async function applyBatch(tx: Kysely<OperatorSchema>, rows: CsvSubscriber[], now: number, s: ImportSummary) {
  const existing = new Map(
    (await getSubscribers(tx, [...new Set(rows.map((r) => r.phoneNumber))])).map((r) => [r.phone_number, r]),
  );
  const fresh = new Map<string, SubscriberRow>();
  for (const row of rows) {
    const pending = fresh.get(row.phoneNumber);
    if (pending) {
      // The same new number twice in one batch: the later line wins.
      Object.assign(pending, newSubscriber(row.phoneNumber, row.status, row.identityComplete, now));
      s.updated++;
      continue;
    }
    const current = existing.get(row.phoneNumber);
    if (!current) {
      fresh.set(row.phoneNumber, newSubscriber(row.phoneNumber, row.status, row.identityComplete, now));
      s.created++;
      continue;
    }
    const complete = row.identityComplete ? 1 : 0;
    if (current.status === row.status && current.identity_complete === complete) {
      s.unchanged++;
      continue;
    }
    if (current.status === 'active' && row.status !== 'active') {
      const reason = row.status === 'ported_out' ? 'ported_out' : 'contract_terminated';
      const notices = await endContract(tx, { phoneNumber: row.phoneNumber, status: row.status, reason, at: now });
      await updateSubscriber(tx, row.phoneNumber, { identity_complete: complete });
      s.ended++;
      s.noticesQueued += notices.length;
    } else {
      await updateSubscriber(tx, row.phoneNumber, {
        status: row.status,
        identity_complete: complete,
        updated_at: now,
        contract_ended_at: row.status === 'active' ? null : (current.contract_ended_at ?? now),
      });
      s.updated++;
    }
    existing.set(row.phoneNumber, { ...current, status: row.status, identity_complete: complete });
  }
  await insertSubscribers(tx, [...fresh.values()]);
}
