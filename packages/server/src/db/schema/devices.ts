export interface DevicesTable {
  id: string;
  account_id: string;
  name: string;
  /** SHA-256 of the session token; the token itself is never stored. */
  token_hash: string;
  created_at: number;
  last_seen_at: number;
}
