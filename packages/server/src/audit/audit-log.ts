import type { Clock } from '@signet/common';
import type { Kysely } from 'kysely';
import type { Schema, ServerDatabase } from '../db';
import {
  type AuditRow,
  countEntries,
  entriesAfter,
  entriesBetween,
  insertEntries,
  maxSeq,
  readHead,
  writeHead,
} from './audit-store';
import { canonicalJson, entryHash, GENESIS_HASH } from './chain';

/** Who did what is recorded: the system itself, an administrator (by name), an authority or an operator (by id). */
export type AuditActor =
  | { type: 'system' }
  | { type: 'administrator'; id: string }
  | { type: 'authority'; id: string }
  | { type: 'operator'; id: string };

export interface AuditEntryInput {
  actor: AuditActor;
  kind: string;
  /** What the entry is about: an account, an authority, a notice, a request. */
  subject?: string | null;
  payload?: Record<string, unknown>;
}

export interface AuditEntry {
  seq: number;
  at: number;
  actor: AuditActor;
  kind: string;
  subject: string | null;
  payload: Record<string, unknown>;
  prevHash: string;
  hash: string;
}

/** Where and why the chain breaks. */
export interface AuditBreak {
  seq: number;
  reason: 'missing' | 'altered' | 'relinked' | 'head';
  message: string;
}

export interface AuditVerification {
  ok: boolean;
  /** Entries checked. */
  checked: number;
  head: { seq: number; hash: string };
  break?: AuditBreak;
}

const PAGE = 1000;

/**
 * The append-only, hash-chained audit log. Appends happen inside the caller's transaction, after its
 * other writes: the head row is locked until the commit (PostgreSQL; SQLite runs one transaction at a time),
 * so concurrent appenders take turns and the chain never forks.
 */
export class AuditLog {
  constructor(
    private readonly db: ServerDatabase,
    private readonly clock: Clock,
  ) {}

  /** Appends entries in the caller's transaction; call it last in the transaction, as it holds the head. */
  async append(tx: Kysely<Schema>, entries: AuditEntryInput | readonly AuditEntryInput[]): Promise<AuditEntry[]> {
    const list = Array.isArray(entries) ? entries : [entries as AuditEntryInput];
    if (list.length === 0) return [];
    if (!tx.isTransaction) throw new Error('audit entries are appended inside a transaction');
    const head = await readHead(tx, this.db.dialect === 'postgres');
    const at = this.clock.now();
    let { seq, hash } = head;
    const rows: AuditRow[] = list.map((e) => {
      seq += 1;
      const fields = {
        seq,
        at,
        actor_type: e.actor.type,
        actor_id: 'id' in e.actor ? e.actor.id : null,
        kind: e.kind,
        subject: e.subject ?? null,
        payload: canonicalJson(e.payload ?? {}),
        prev_hash: hash,
      };
      hash = entryHash(fields);
      return { ...fields, hash };
    });
    await insertEntries(tx, rows);
    await writeHead(tx, seq, hash);
    return rows.map(toEntry);
  }

  /** Appends in a transaction of its own. */
  appendNow(entries: AuditEntryInput | readonly AuditEntryInput[]): Promise<AuditEntry[]> {
    return this.db.transaction((tx) => this.append(tx, entries));
  }

  /**
   * Checks the whole chain from the first entry: numbering without gaps, each entry's hash, each link to the
   * entry before, and the head against the last entry. Names the first entry where it breaks.
   */
  async verify(onProgress?: (checked: number, total: number) => void): Promise<AuditVerification> {
    const db = this.db.db;
    // Entries appended while this runs lie past the head read now: they are left for the next run.
    const head = await readHead(db, false);
    const total = await countEntries(db);
    let expected = 1;
    let prevHash = GENESIS_HASH;
    let checked = 0;
    const broken = (b: AuditBreak): AuditVerification => ({ ok: false, checked, head, break: b });
    for (;;) {
      const page = await entriesAfter(db, expected - 1, head.seq, PAGE);
      for (const row of page) {
        if (row.seq !== expected) {
          return broken({
            seq: expected,
            reason: 'missing',
            message: `entry ${expected} is missing (deleted): the log goes from ${expected - 1} to ${row.seq}`,
          });
        }
        if (entryHash(row) !== row.hash) {
          return broken({
            seq: row.seq,
            reason: 'altered',
            message: `entry ${row.seq} does not match its hash: it was edited or moved`,
          });
        }
        if (row.prev_hash !== prevHash) {
          // The entry itself is intact, so what changed is the one before it (rewritten with a fresh hash) or
          // the order of the two.
          return broken({
            seq: row.seq - 1,
            reason: 'relinked',
            message: `entry ${row.seq} does not follow entry ${row.seq - 1}: entry ${row.seq - 1} was rewritten or replaced`,
          });
        }
        prevHash = row.hash;
        expected += 1;
        checked += 1;
      }
      onProgress?.(checked, Math.max(total, checked));
      if (page.length < PAGE) break;
    }
    const last = expected - 1;
    if (last < head.seq) {
      return broken({
        seq: last + 1,
        reason: 'missing',
        message: `entries ${last + 1} to ${head.seq} are missing (deleted): the log ends at ${last}`,
      });
    }
    if (head.hash !== prevHash) {
      return broken({ seq: last, reason: 'head', message: `the head does not name entry ${last}'s hash` });
    }
    // Rows past the head that the head (read again) does not cover were not appended through the log.
    const [now, newest] = [await readHead(db, false), await maxSeq(db)];
    if (newest > now.seq) {
      return broken({
        seq: now.seq + 1,
        reason: 'head',
        message: `entry ${now.seq + 1} lies past the head: it was not appended through the log`,
      });
    }
    return { ok: true, checked, head };
  }

  /** Every entry of a period (`from` inclusive, `to` exclusive), in order, a page at a time. */
  async *between(from: number, to: number): AsyncGenerator<AuditEntry> {
    let after = 0;
    for (;;) {
      const page = await entriesBetween(this.db.db, from, to, after, PAGE);
      for (const row of page) yield toEntry(row);
      if (page.length < PAGE) return;
      after = page[page.length - 1]!.seq;
    }
  }
}

function toEntry(row: AuditRow): AuditEntry {
  const actor = (
    row.actor_type === 'system' ? { type: 'system' } : { type: row.actor_type, id: row.actor_id ?? '' }
  ) as AuditActor;
  return {
    seq: row.seq,
    at: row.at,
    actor,
    kind: row.kind,
    subject: row.subject,
    payload: JSON.parse(row.payload) as Record<string, unknown>,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}
