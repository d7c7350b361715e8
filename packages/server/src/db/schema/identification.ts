export interface NumberRangesTable {
  /** International digits without the plus, as a number: 79001234567. */
  start_num: number;
  end_num: number;
  operator_id: string;
}

export interface NumberPrefixesTable {
  /** E.164 prefix with the plus: `+7900`. */
  prefix: string;
  operator_id: string;
}

export interface PortedNumbersTable {
  phone_number: string;
  operator_id: string;
  ported_at: number | null;
}

export type RequestStatus = 'pending' | 'confirmed' | 'denied' | 'failed';

export interface IdentificationRequestsTable {
  request_id: string;
  account_id: string;
  operator_id: string | null;
  user_code: string;
  phone_number: string;
  reason: 'registration' | 'existing_user' | 'reidentification';
  possession_verified_at: number;
  requested_at: number;
  deadline_at: number;
  status: RequestStatus;
  /** Why it failed: a denial reasonCode, DEADLINE_EXCEEDED, NO_OPERATOR or REJECTED. */
  failure: string | null;
  batch_id: string | null;
  accepted_at: number | null;
  decided_at: number | null;
  result_received_at: number | null;
  /** A result that came after the deadline: recorded for statistics, otherwise ignored. */
  late_result: string | null;
  next_poll_at: number | null;
}

export interface IdentificationBatchesTable {
  /** The webhook-id, kept for every retry. */
  id: string;
  operator_id: string;
  body: string;
  status: 'open' | 'done' | 'abandoned';
  attempts: number;
  next_attempt_at: number;
  /** The latest deadline of its requests: past it, retrying is pointless. */
  deadline_at: number;
  created_at: number;
}

export interface OperatorEventIdsTable {
  operator_id: string;
  webhook_id: string;
  body_digest: string;
  status: number;
  response: string;
  received_at: number;
}

export interface TerminationNoticesTable {
  operator_id: string;
  notice_id: string;
  phone_number: string;
  reason: string;
  user_codes: string;
  terminated_at: number;
  received_at: number;
  accounts_suspended: number;
}

export interface OperatorSyncTable {
  operator_id: string;
  changed_since: string | null;
  last_run_at: number;
}

export interface BackfillJobsTable {
  id: string;
  /** The last account id enqueued; the job resumes after it. */
  cursor: string | null;
  total: number;
  enqueued: number;
  started_at: number;
  finished_at: number | null;
}
