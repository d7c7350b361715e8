import type { AuditEntry, AuditLog } from './audit-log';
import { AuditKind, MAILING_PREFIX, RESTRICTION_PREFIX } from './kinds';
import {
  countRestriction,
  emptyRestrictionCounts,
  type RestrictionOrderCounts,
  restrictionMarkdown,
} from './restriction-report';

/** What the transparency report counts for a period, all from the audit log. */
export interface TransparencyReport {
  period: { from: string; to: string };
  generatedAt: string;
  dataRequests: {
    received: number;
    answered: number;
    /** Accounts whose record was disclosed, over all answers. */
    accountsDisclosed: number;
    /** Answers that found no record. */
    answeredEmpty: number;
    byAuthority: Record<string, number>;
  };
  identification: {
    confirmed: number;
    denied: Record<string, number>;
    failed: Record<string, number>;
  };
  terminationNotices: {
    received: number;
    accountsSuspended: number;
    byOperator: Record<string, number>;
    byReason: Record<string, number>;
    /** Accounts suspended by reconciliation because their notice never arrived. */
    missedNoticeSuspensions: number;
  };
  authorities: { created: number; disabled: number; refusedRequests: number };
  /** Restriction orders issued, revoked and expired, by target type and authority; withheld notices. */
  restrictionOrders: RestrictionOrderCounts;
  /** Official mass mailings: every `mailing.*` entry by kind, and what was sent, to whom, by whom. */
  mailings: {
    entries: number;
    byKind: Record<string, number>;
    sent: number;
    withdrawn: number;
    /** Mailings to every identified user, and to number prefixes (regions, operators). */
    toAll: number;
    toPrefixes: number;
    /** Identified accounts in the audiences when sent, summed over the mailings (one in two audiences counts twice). */
    recipients: number;
    /** Mailings sent by each authority. */
    byAuthority: Record<string, number>;
  };
  audit: { entries: number; firstSeq: number | null; lastSeq: number | null };
}

const add = (map: Record<string, number>, key: string, n = 1) => {
  map[key] = (map[key] ?? 0) + n;
};
const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
const str = (v: unknown, fallback: string) => (typeof v === 'string' && v !== '' ? v : fallback);

/** Counts the audit entries of [from, to). */
export async function transparencyReport(
  audit: AuditLog,
  from: number,
  to: number,
  now: number,
): Promise<TransparencyReport> {
  const r: TransparencyReport = {
    period: { from: new Date(from).toISOString(), to: new Date(to).toISOString() },
    generatedAt: new Date(now).toISOString(),
    dataRequests: { received: 0, answered: 0, accountsDisclosed: 0, answeredEmpty: 0, byAuthority: {} },
    identification: { confirmed: 0, denied: {}, failed: {} },
    terminationNotices: { received: 0, accountsSuspended: 0, byOperator: {}, byReason: {}, missedNoticeSuspensions: 0 },
    authorities: { created: 0, disabled: 0, refusedRequests: 0 },
    restrictionOrders: emptyRestrictionCounts(),
    mailings: {
      entries: 0,
      byKind: {},
      sent: 0,
      withdrawn: 0,
      toAll: 0,
      toPrefixes: 0,
      recipients: 0,
      byAuthority: {},
    },
    audit: { entries: 0, firstSeq: null, lastSeq: null },
  };
  for await (const e of audit.between(from, to)) {
    r.audit.entries++;
    r.audit.firstSeq ??= e.seq;
    r.audit.lastSeq = e.seq;
    count(r, e);
  }
  return r;
}

function count(r: TransparencyReport, e: AuditEntry): void {
  const p = e.payload;
  switch (e.kind) {
    case AuditKind.dataRequestReceived:
      r.dataRequests.received++;
      add(r.dataRequests.byAuthority, str(p.authorityName, 'id' in e.actor ? e.actor.id : 'unknown'));
      return;
    case AuditKind.dataRequestAnswered: {
      const accounts = Array.isArray(p.accounts) ? p.accounts.length : 0;
      r.dataRequests.answered++;
      r.dataRequests.accountsDisclosed += accounts;
      if (accounts === 0) r.dataRequests.answeredEmpty++;
      return;
    }
    case AuditKind.identificationDecided: {
      const n = num(p.count);
      if (p.outcome === 'confirmed') r.identification.confirmed += n;
      else if (p.outcome === 'denied') add(r.identification.denied, str(p.reason, 'UNKNOWN'), n);
      else add(r.identification.failed, str(p.reason, 'UNKNOWN'), n);
      return;
    }
    case AuditKind.terminationNotice:
      r.terminationNotices.received++;
      r.terminationNotices.accountsSuspended += Array.isArray(p.suspendedAccounts) ? p.suspendedAccounts.length : 0;
      add(r.terminationNotices.byOperator, str(p.operatorId, 'unknown'));
      add(r.terminationNotices.byReason, str(p.reason, 'unknown'));
      return;
    case AuditKind.identificationSuspended:
      r.terminationNotices.missedNoticeSuspensions += num(p.count);
      return;
    case AuditKind.authorityCreated:
      r.authorities.created++;
      return;
    case AuditKind.authorityDisabled:
      r.authorities.disabled++;
      return;
    case AuditKind.authorityRefused:
      r.authorities.refusedRequests++;
      return;
  }
  if (e.kind.startsWith(RESTRICTION_PREFIX)) {
    countRestriction(r.restrictionOrders, e);
  } else if (e.kind.startsWith(MAILING_PREFIX)) {
    countMailing(r.mailings, e);
  }
}

function countMailing(m: TransparencyReport['mailings'], e: AuditEntry): void {
  const p = e.payload;
  m.entries++;
  add(m.byKind, e.kind);
  if (e.kind === AuditKind.mailingWithdrawn) m.withdrawn++;
  if (e.kind !== AuditKind.mailingSent) return;
  m.sent++;
  m.recipients += num(p.audienceSize);
  const audience = p.audience as { all?: unknown; prefixes?: unknown } | undefined;
  if (audience?.all === true) m.toAll++;
  else if (Array.isArray(audience?.prefixes)) m.toPrefixes++;
  add(m.byAuthority, str(p.authorityName, 'id' in e.actor ? e.actor.id : 'unknown'));
}

/** The report as Markdown, for publication. */
export function transparencyMarkdown(r: TransparencyReport): string {
  const lines: string[] = [];
  const table = (head: [string, string], rows: Array<[string, number]>) => {
    lines.push(`| ${head[0]} | ${head[1]} |`, '| --- | ---: |');
    for (const [k, v] of rows) lines.push(`| ${k} | ${v} |`);
    lines.push('');
  };
  const sorted = (m: Record<string, number>) =>
    Object.entries(m).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)) as Array<[string, number]>;
  const total = (m: Record<string, number>) => Object.values(m).reduce((a, b) => a + b, 0);

  lines.push('# Signet transparency report', '');
  lines.push(`Period: ${r.period.from} to ${r.period.to} (end exclusive). Generated ${r.generatedAt}.`, '');

  lines.push('## Data requests', '');
  table(
    ['', 'Count'],
    [
      ['Requests received', r.dataRequests.received],
      ['Requests answered', r.dataRequests.answered],
      ['Answers with no record', r.dataRequests.answeredEmpty],
      ['Accounts whose identification record was disclosed', r.dataRequests.accountsDisclosed],
    ],
  );
  if (Object.keys(r.dataRequests.byAuthority).length > 0) {
    table(['Authority', 'Requests'], sorted(r.dataRequests.byAuthority));
  }

  lines.push('## Identification outcomes', '');
  table(
    ['Outcome', 'Count'],
    [
      ['Confirmed', r.identification.confirmed],
      ...sorted(r.identification.denied).map(([k, v]): [string, number] => [`Denied: ${k}`, v]),
      ...sorted(r.identification.failed).map(([k, v]): [string, number] => [`Failed: ${k}`, v]),
    ],
  );
  lines.push(`Denied in all: ${total(r.identification.denied)}. Failed in all: ${total(r.identification.failed)}.`, '');

  lines.push('## Contract-termination notices', '');
  table(
    ['', 'Count'],
    [
      ['Notices received', r.terminationNotices.received],
      ['Accounts suspended by notices', r.terminationNotices.accountsSuspended],
      ['Accounts suspended by reconciliation (notice missed)', r.terminationNotices.missedNoticeSuspensions],
    ],
  );
  if (r.terminationNotices.received > 0) {
    table(['Operator', 'Notices'], sorted(r.terminationNotices.byOperator));
    table(['Reason', 'Notices'], sorted(r.terminationNotices.byReason));
  }

  lines.push('## Restriction orders', '');
  lines.push(...restrictionMarkdown(r.restrictionOrders));

  lines.push('## Mass mailings', '');
  if (r.mailings.entries === 0) lines.push('None in this period.', '');
  else {
    table(
      ['', 'Count'],
      [
        ['Mailings sent', r.mailings.sent],
        ['To all identified users', r.mailings.toAll],
        ['To number prefixes', r.mailings.toPrefixes],
        ['Accounts in their audiences when sent (summed)', r.mailings.recipients],
        ['Mailings withdrawn', r.mailings.withdrawn],
      ],
    );
    if (r.mailings.sent > 0) table(['Authority', 'Mailings'], sorted(r.mailings.byAuthority));
  }

  lines.push('## Authorities', '');
  table(
    ['', 'Count'],
    [
      ['Authorities created', r.authorities.created],
      ['Authorities disabled', r.authorities.disabled],
      ['Signed requests refused (disabled authority or missing role)', r.authorities.refusedRequests],
    ],
  );
  lines.push(
    `Counted from ${r.audit.entries} entries of the hash-chained audit log${
      r.audit.firstSeq === null ? '' : ` (entries ${r.audit.firstSeq} to ${r.audit.lastSeq})`
    }; \`signet audit verify\` checks the chain.`,
    '',
  );
  return `${lines.join('\n').trimEnd()}\n`;
}

/**
 * A report period from the command line: a day (`2026-01-01`, UTC, the `to` day included) or an instant
 * (`2026-01-01T12:00:00Z`). Answers [from, to) in milliseconds.
 */
export function parsePeriod(fromText: string, toText: string): { from: number; to: number } {
  const from = parseDate(fromText, '--from', false);
  const to = parseDate(toText, '--to', true);
  if (from >= to) throw new Error(`the period is empty: --from ${fromText} is not before --to ${toText}`);
  return { from, to };
}

const DAY_MS = 24 * 60 * 60 * 1000;

function parseDate(text: string, option: string, endOfDay: boolean): number {
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) {
    const ms = Date.parse(`${text}T00:00:00Z`);
    if (Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== text) {
      throw new Error(`${option} ${text} is not a date`);
    }
    return endOfDay ? ms + DAY_MS : ms;
  }
  if (/^\d{4}-\d{2}-\d{2}T/.test(text)) {
    const ms = Date.parse(text);
    if (!Number.isNaN(ms)) return ms;
  }
  throw new Error(`${option} ${text}: expected a date such as 2026-01-31 or an instant such as 2026-01-31T12:00:00Z`);
}
