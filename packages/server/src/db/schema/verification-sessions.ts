export interface VerificationSessionsTable {
  id: string;
  phone_number: string;
  /** HMAC of the current code under the server's code key. */
  code_hash: string;
  code_expires_at: number;
  sends: number;
  last_sent_at: number;
  attempts: number;
  verified_at: number | null;
  /** Set once a registration used the session; it cannot be used again. */
  consumed_at: number | null;
  created_at: number;
}
