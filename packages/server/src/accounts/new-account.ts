import { randomBytes } from 'node:crypto';
import { randomId } from '@signet/common';
import type { AccountRow } from './account-store';

/** The user code of spec section 3: a prefix and 128 random bits, never derived from the number. */
export function newUserCode(): string {
  return `uc_${randomBytes(16).toString('base64url')}`;
}

/**
 * The row of an account just registered by `phone`, whose possession of the number was proven `now`: unverified
 * until identification. `fields` sets others, e.g. the id or an identified state for seeded accounts.
 */
export function newAccountRow(phone: string, now: number, fields: Partial<AccountRow> = {}): AccountRow {
  return {
    id: randomId('acc'),
    phone_number: phone,
    state: 'unverified',
    user_code: newUserCode(),
    password_record: null,
    suspended_reason: null,
    created_at: now,
    last_active_at: now,
    retired_at: null,
    identification_request_id: null,
    identification_failure: null,
    identified_at: null,
    possession_verified_at: now,
    ...fields,
  };
}
