import type { Generated } from 'kysely';

/** An OPAQUE login in progress for the registration lock. */
export interface PasswordLoginsTable {
  id: string;
  account_id: string;
  verification_session_id: string;
  server_state: string;
  expires_at: number;
}

/** Wrong registration-lock passwords, counted per account per day. */
export interface PasswordFailuresTable {
  id: Generated<number>;
  account_id: string;
  at: number;
}
