import type { DenialReason, IdentificationReason } from '@signet/protocol';

/** Every accepted identification request (4.1) and, once decided, its result (4.2). */
export interface IdentificationRequestsTable {
  messenger_id: string;
  request_id: string;
  user_code: string;
  phone_number: string;
  reason: IdentificationReason;
  /** As sent, so that a re-sent request can be compared and the report can show what arrived. */
  possession_verified_at: string;
  requested_at: string;
  requested_at_ms: number;
  accepted_at: number;
  /** When the decision is due (the answer delay); null: never answered (a silent number). */
  due_at: number | null;
  decided_at: number | null;
  result: 'confirmed' | 'denied' | null;
  reason_code: DenialReason | null;
  /** The outbox event that carries the result; null until one does. */
  event_id: string | null;
}
