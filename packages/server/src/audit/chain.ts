import { sha256Hex } from '@signet/common';
import type { AuditLogTable } from '../db/schema/audit';

/** The previous hash of the first entry. */
export const GENESIS_HASH = '0'.repeat(64);

const VERSION = 'signet-audit-v1';

/**
 * JSON with object keys sorted at every level and no whitespace: one text for one value, so that a payload
 * hashes the same wherever it is encoded. Undefined members are left out, as JSON.stringify does.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value))
      throw new Error('audit payloads hold finite numbers only');
    return JSON.stringify(value) ?? 'null';
  }
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

export type ChainFields = Omit<AuditLogTable, 'hash'>;

/**
 * SHA-256 over the canonical encoding of every field of the entry, the previous entry's hash among them:
 * a JSON array in a fixed order, led by a version tag. The payload enters as the exact text stored.
 */
export function entryHash(e: ChainFields): string {
  return sha256Hex(
    JSON.stringify([VERSION, e.seq, e.at, e.actor_type, e.actor_id, e.kind, e.subject, e.payload, e.prev_hash]),
  );
}
