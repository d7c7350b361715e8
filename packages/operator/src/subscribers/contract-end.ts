import { randomId } from '@signet/common';
import type { TerminationReason } from '@signet/protocol';
import type { Kysely } from 'kysely';
import type { OperatorSchema } from '../db';
import type { SubscriberStatus } from '../db/schema/subscribers';
import { insertNotices, type NoticeRow } from '../notices/notice-store';
import { activeRegistrationsOfNumber, terminateRegistrations } from '../registrations/registration-store';
import { updateSubscriber } from './subscriber-store';

export interface ContractEnd {
  phoneNumber: string;
  /** The subscriber's status afterwards; a reassigned number is active again, for its new holder. */
  status: SubscriberStatus;
  reason: TerminationReason;
  at: number;
  /** For a reassignment: whether the new contract holds the identity data. */
  identityComplete?: boolean;
}

/**
 * Ends a contract inside the caller's transaction (O5): marks the subscriber, ends every active registration
 * of the number and queues one notice per messenger where it was registered, naming every code that was active.
 * The notices are rows in the same transaction, so a crash cannot lose them; the outbox sends them.
 */
export async function endContract(tx: Kysely<OperatorSchema>, end: ContractEnd): Promise<NoticeRow[]> {
  const active = await activeRegistrationsOfNumber(tx, end.phoneNumber);
  await updateSubscriber(tx, end.phoneNumber, {
    status: end.status,
    updated_at: end.at,
    contract_ended_at: end.status === 'active' ? null : end.at,
    ...(end.identityComplete === undefined ? {} : { identity_complete: end.identityComplete ? 1 : 0 }),
  });
  await terminateRegistrations(tx, end.phoneNumber, end.at, end.reason);

  const codesByMessenger = new Map<string, string[]>();
  for (const r of active) {
    const codes = codesByMessenger.get(r.messenger_id) ?? [];
    codes.push(r.user_code);
    codesByMessenger.set(r.messenger_id, codes);
  }
  const notices: NoticeRow[] = [...codesByMessenger].map(([messengerId, codes]) => ({
    notice_id: randomId('ctn'),
    messenger_id: messengerId,
    phone_number: end.phoneNumber,
    user_codes: JSON.stringify(codes.sort(byCodePoint)),
    reason: end.reason,
    terminated_at: end.at,
    event_id: null,
    delivered_at: null,
  }));
  await insertNotices(tx, notices);
  return notices;
}

export function byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
