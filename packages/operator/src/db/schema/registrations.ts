import type { Generated } from 'kysely';

/**
 * What the operator records on confirmation (O4): the messenger and the user's code for a number. One row
 * per messenger, code and number; a later confirmation of the same triple updates request and time.
 */
export interface RegistrationsTable {
  id: Generated<number>;
  messenger_id: string;
  user_code: string;
  phone_number: string;
  request_id: string;
  decided_at: number;
  status: 'active' | 'terminated';
  /** When the status last changed: the confirmation, then the end of the contract. */
  changed_at: number;
  terminated_at: number | null;
  termination_reason: string | null;
}
