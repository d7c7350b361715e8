import type { AccountState } from '@signet/protocol';

export interface AccountsTable {
  id: string;
  phone_number: string;
  state: AccountState;
  /** The unique identification code sent to operators (spec section 3). Never reused. */
  user_code: string;
  /** The OPAQUE registration record of the registration-lock password, if one is set. */
  password_record: string | null;
  /** Why the account was suspended: `contract_terminated`, `ported_out`, `number_reassigned`. */
  suspended_reason: string | null;
  created_at: number;
  last_active_at: number;
  retired_at: number | null;
  /** The identification request that decides the current state. */
  identification_request_id: string | null;
  /** Why the last identification failed (a denial reasonCode, DEADLINE_EXCEEDED, NO_OPERATOR). */
  identification_failure: string | null;
  identified_at: number | null;
  /** When the holder last proved possession of the number with an SMS code. */
  possession_verified_at: number | null;
}
