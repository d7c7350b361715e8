import type { Kysely } from 'kysely';
import type { Schema } from '../db';
import { ApiError } from '../errors';
import { getOrder } from './restriction-store';

/** The account-level orders a send checks, and those starting a conversation or adding people checks. */
export const SENDING = ['account_sending'] as const;
export const SENDING_OR_REACH = ['account_sending', 'account_reach'] as const;

/**
 * The refusal of an account's request by an order in force: 403 `RESTRICTED`, naming the order's reference and
 * expiry unless the order withholds notice, in which case it says only that the account cannot do this now.
 */
export async function restrictedAccountError(db: Kysely<Schema>, orderId: string): Promise<ApiError> {
  const order = await getOrder(db, orderId);
  const sending = order?.target_type !== 'account_reach';
  const cannot = sending
    ? 'your account cannot send messages'
    : 'your account cannot start conversations, add people or be found by number';
  if (!order || Number(order.notice_withheld) === 1) {
    return new ApiError(403, 'RESTRICTED', `${cannot} now`, { target: sending ? 'account_sending' : 'account_reach' });
  }
  const until =
    order.expires_at === null ? 'until revoked' : `until ${new Date(Number(order.expires_at)).toISOString()}`;
  const what = sending ? 'its sending is suspended' : 'its reach is limited';
  return new ApiError(
    403,
    'RESTRICTED',
    `${cannot}: ${what} by an authority's order (${order.legal_reference}), ${until}`,
    {
      orderId: order.id,
      reference: order.legal_reference,
      target: order.target_type,
      expiresAt: order.expires_at === null ? null : Number(order.expires_at),
    },
  );
}
