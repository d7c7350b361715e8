import type { TerminationReason } from '@signet/protocol';

/** One contract-termination notice (4.4) per messenger and number, with the proof of its delivery. */
export interface TerminationNoticesTable {
  notice_id: string;
  messenger_id: string;
  phone_number: string;
  /** JSON array of the user codes whose registrations the termination ended. */
  user_codes: string;
  reason: TerminationReason;
  terminated_at: number;
  event_id: string | null;
  /** When the messenger answered 2xx to the event that carried it: the 24-hour obligation's evidence. */
  delivered_at: number | null;
}
