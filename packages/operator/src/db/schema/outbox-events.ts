export type OutboxState = 'pending' | 'delivered' | 'gone' | 'failed';

/** A signed event waiting for, or done with, delivery. The body is kept so that every retry sends the same bytes. */
export interface OutboxEventsTable {
  /** The webhook-id, the same on every attempt. */
  id: string;
  messenger_id: string;
  type: string;
  body: string;
  item_count: number;
  created_at: number;
  state: OutboxState;
  attempts: number;
  /** Null once no further attempt will be made. */
  next_attempt_at: number | null;
  last_attempt_at: number | null;
  last_status: number | null;
  last_error: string | null;
  delivered_at: number | null;
}
