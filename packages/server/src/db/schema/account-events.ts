import type { Generated } from 'kysely';

/** Account events kept for the retention period to answer lawful data requests, and nothing else. */
export interface AccountEventsTable {
  id: Generated<number>;
  account_id: string;
  type: string;
  at: number;
  /** The client address for sign-ins and registrations. */
  address: string | null;
  /** A small JSON object with event-specific facts (device id, state). */
  detail: string | null;
}
