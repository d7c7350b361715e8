/** The append-only, hash-chained audit log (see src/audit). */
export interface AuditLogTable {
  seq: number;
  at: number;
  actor_type: 'system' | 'administrator' | 'authority' | 'operator';
  actor_id: string | null;
  kind: string;
  subject: string | null;
  /** Canonical JSON (sorted keys), hashed as stored. */
  payload: string;
  prev_hash: string;
  hash: string;
}

/** The single row (id 1) naming the latest entry. */
export interface AuditHeadTable {
  id: number;
  seq: number;
  hash: string;
}
