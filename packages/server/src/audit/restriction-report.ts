import type { AuditEntry } from './audit-log';
import { AuditKind } from './kinds';

type Outcomes = { issued: number; revoked: number; expired: number };

/** What the transparency report says of restriction orders in a period, counted from their audit entries. */
export interface RestrictionOrderCounts {
  /** Every `restriction.*` entry, by kind. */
  entries: number;
  byKind: Record<string, number>;
  issued: number;
  revoked: number;
  expired: number;
  /** Orders issued with notice to the affected user withheld (each on a legal ground, in its entry). */
  noticeWithheld: number;
  /** Public posts hidden: at issue, and later by fingerprint orders in force. */
  postsRestricted: number;
  /** By target type (channel_post, channel, account_sending, account_reach, content_fingerprint) and outcome. */
  byTarget: Record<string, Outcomes>;
  /** Orders issued by each authority. */
  byAuthority: Record<string, number>;
}

export function emptyRestrictionCounts(): RestrictionOrderCounts {
  return {
    entries: 0,
    byKind: {},
    issued: 0,
    revoked: 0,
    expired: 0,
    noticeWithheld: 0,
    postsRestricted: 0,
    byTarget: {},
    byAuthority: {},
  };
}

const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
const text = (v: unknown, fallback: string) => (typeof v === 'string' && v !== '' ? v : fallback);

export function countRestriction(c: RestrictionOrderCounts, e: AuditEntry): void {
  const p = e.payload;
  c.entries++;
  c.byKind[e.kind] = (c.byKind[e.kind] ?? 0) + 1;
  const target = (type: unknown) => {
    const key = text(type, 'unknown');
    c.byTarget[key] ??= { issued: 0, revoked: 0, expired: 0 };
    return c.byTarget[key];
  };
  switch (e.kind) {
    case AuditKind.restrictionIssued: {
      c.issued++;
      target((p.target as { type?: unknown } | undefined)?.type).issued++;
      if ((p.notice as { withheld?: unknown } | undefined)?.withheld === true) c.noticeWithheld++;
      c.postsRestricted += num(p.postsRestricted);
      const by = text(p.authorityName, 'id' in e.actor ? e.actor.id : 'unknown');
      c.byAuthority[by] = (c.byAuthority[by] ?? 0) + 1;
      return;
    }
    case AuditKind.restrictionApplied:
      c.postsRestricted += num(p.postsRestricted);
      return;
    case AuditKind.restrictionRevoked:
      c.revoked++;
      target(p.targetType).revoked++;
      return;
    case AuditKind.restrictionExpired:
      c.expired++;
      target(p.targetType).expired++;
      return;
  }
}

const TARGETS: Record<string, string> = {
  channel_post: 'Channel post hidden',
  channel: 'Channel hidden',
  account_sending: "Account's sending suspended",
  account_reach: "Account's reach limited",
  content_fingerprint: 'Public content blocked by fingerprint',
};

/** The report's section on restriction orders, as Markdown lines. */
export function restrictionMarkdown(c: RestrictionOrderCounts): string[] {
  if (c.entries === 0) return ['None in this period.', ''];
  const lines = [
    '| | Count |',
    '| --- | ---: |',
    `| Orders issued | ${c.issued} |`,
    `| Orders revoked | ${c.revoked} |`,
    `| Orders expired | ${c.expired} |`,
    `| Orders issued with notice to the user withheld | ${c.noticeWithheld} |`,
    `| Public posts hidden | ${c.postsRestricted} |`,
    '',
  ];
  const targets = Object.entries(c.byTarget).sort(([a], [b]) => (a < b ? -1 : 1));
  if (targets.length > 0) {
    lines.push('| Target | Issued | Revoked | Expired |', '| --- | ---: | ---: | ---: |');
    for (const [type, o] of targets) {
      lines.push(`| ${TARGETS[type] ?? type} | ${o.issued} | ${o.revoked} | ${o.expired} |`);
    }
    lines.push('');
  }
  const authorities = Object.entries(c.byAuthority).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  if (authorities.length > 0) {
    lines.push('| Authority | Orders issued |', '| --- | ---: |');
    for (const [name, n] of authorities) lines.push(`| ${name} | ${n} |`);
    lines.push('');
  }
  return lines;
}
