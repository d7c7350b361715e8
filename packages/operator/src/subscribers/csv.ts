import type { SubscriberStatus } from '../db/schema/subscribers';

/** Splits one CSV line into fields; double-quoted fields may hold commas and doubled quotes. */
export function splitCsvLine(line: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      fields.push(field);
      field = '';
    } else field += ch;
  }
  fields.push(field);
  return fields.map((f) => f.trim());
}

export const CSV_COLUMNS = ['phoneNumber', 'status', 'identityComplete'] as const;

/** Where each column sits, from the header (any order, names case-insensitive); or a problem. */
export function readHeader(line: string): Record<(typeof CSV_COLUMNS)[number], number> | string {
  const names = splitCsvLine(line.replace(/^\uFEFF/, '')).map((n) => n.toLowerCase());
  const at = Object.fromEntries(CSV_COLUMNS.map((c) => [c, names.indexOf(c.toLowerCase())]));
  const missing = CSV_COLUMNS.filter((c) => (at[c] ?? -1) < 0);
  if (missing.length > 0) return `the header must name ${CSV_COLUMNS.join(',')}; missing ${missing.join(', ')}`;
  return at as Record<(typeof CSV_COLUMNS)[number], number>;
}

export interface CsvSubscriber {
  phoneNumber: string;
  status: SubscriberStatus;
  identityComplete: boolean;
}

const STATUSES: readonly string[] = ['active', 'terminated', 'ported_out'];
const TRUE = ['true', '1', 'yes', 'y'];
const FALSE = ['false', '0', 'no', 'n'];

/** One data line as a subscriber, or the problem with it. */
export function readRow(fields: string[], at: Record<(typeof CSV_COLUMNS)[number], number>): CsvSubscriber | string {
  const phone = fields[at.phoneNumber] ?? '';
  const status = (fields[at.status] ?? '').toLowerCase();
  const complete = (fields[at.identityComplete] ?? '').toLowerCase();
  if (!/^\+[1-9][0-9]{4,14}$/.test(phone)) return `${phone || '(empty)'} is not an E.164 number`;
  if (!STATUSES.includes(status)) return `status ${status || '(empty)'}: expected ${STATUSES.join(', ')}`;
  if (!TRUE.includes(complete) && !FALSE.includes(complete)) {
    return `identityComplete ${complete || '(empty)'}: expected true or false`;
  }
  return { phoneNumber: phone, status: status as SubscriberStatus, identityComplete: TRUE.includes(complete) };
}
