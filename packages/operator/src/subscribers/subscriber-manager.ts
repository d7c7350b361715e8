import type { Clock, Logger } from '@signet/common';
import type { TerminationReason } from '@signet/protocol';
import type { OperatorDatabase } from '../db';
import type { SubscriberStatus } from '../db/schema/subscribers';
import { SubscriberInputError, SubscriberNotFoundError, SubscriberStateError } from '../errors';
import { type NoticeRow, noticesOfNumber } from '../notices/notice-store';
import { type RegistrationRow, registrationsOfNumber } from '../registrations/registration-store';
import { endContract } from './contract-end';
import { getSubscriber, insertSubscribers, type SubscriberRow, updateSubscriber } from './subscriber-store';

const E164 = /^\+[1-9][0-9]{4,14}$/;

export interface AddSubscriber {
  phoneNumber: string;
  identityComplete?: boolean;
  /** Gives an active number to a new holder: the old contract ends with `number_reassigned`. */
  reassign?: boolean;
}

export type AddOutcome = 'created' | 'reactivated' | 'reassigned';

export interface SubscriberView {
  subscriber: SubscriberRow;
  registrations: RegistrationRow[];
  notices: NoticeRow[];
}

/** The subscriber base as the operator's staff and the CLI change it. */
export class SubscriberManager {
  constructor(
    private readonly deps: {
      db: OperatorDatabase;
      clock: Clock;
      log: Logger;
      /** Told when notices were queued, so that the outbox sends them without waiting for its next round. */
      onNoticesQueued: () => void;
    },
  ) {}

  async add(input: AddSubscriber): Promise<{ outcome: AddOutcome; notices: NoticeRow[] }> {
    const phone = checkNumber(input.phoneNumber);
    const complete = input.identityComplete ?? true;
    const now = this.deps.clock.now();
    const result = await this.deps.db.transaction(async (tx) => {
      const existing = await getSubscriber(tx, phone, this.lock);
      if (!existing) {
        await insertSubscribers(tx, [newSubscriber(phone, 'active', complete, now)]);
        return { outcome: 'created' as const, notices: [] };
      }
      if (existing.status !== 'active') {
        await updateSubscriber(tx, phone, {
          status: 'active',
          identity_complete: complete ? 1 : 0,
          updated_at: now,
          contract_ended_at: null,
        });
        return { outcome: 'reactivated' as const, notices: [] };
      }
      if (!input.reassign) throw new SubscriberStateError(`${phone} already has an active contract`);
      const notices = await endContract(tx, {
        phoneNumber: phone,
        status: 'active',
        reason: 'number_reassigned',
        at: now,
        identityComplete: complete,
      });
      return { outcome: 'reassigned' as const, notices };
    });
    this.announce(phone, result.outcome, result.notices);
    return result;
  }

  /** Ends an active contract: `contract_terminated`, or `number_reassigned` when the number goes to someone else. */
  async terminate(phoneNumber: string, reason: Exclude<TerminationReason, 'ported_out'> = 'contract_terminated') {
    return this.end(phoneNumber, 'terminated', reason);
  }

  /** The number moved to another operator. */
  async portOut(phoneNumber: string) {
    return this.end(phoneNumber, 'ported_out', 'ported_out');
  }

  async get(phoneNumber: string): Promise<SubscriberView> {
    const phone = checkNumber(phoneNumber);
    const subscriber = await getSubscriber(this.deps.db.db, phone);
    if (!subscriber) throw new SubscriberNotFoundError(phone);
    const [registrations, notices] = await Promise.all([
      registrationsOfNumber(this.deps.db.db, phone),
      noticesOfNumber(this.deps.db.db, phone),
    ]);
    return { subscriber, registrations, notices };
  }

  private async end(phoneNumber: string, status: SubscriberStatus, reason: TerminationReason) {
    const phone = checkNumber(phoneNumber);
    const now = this.deps.clock.now();
    const notices = await this.deps.db.transaction(async (tx) => {
      const existing = await getSubscriber(tx, phone, this.lock);
      if (!existing) throw new SubscriberNotFoundError(phone);
      if (existing.status !== 'active') throw new SubscriberStateError(`${phone} has no active contract`);
      return endContract(tx, { phoneNumber: phone, status, reason, at: now });
    });
    this.announce(phone, reason, notices);
    return { notices };
  }

  private announce(phone: string, what: string, notices: NoticeRow[]): void {
    this.deps.log.info({ phoneNumber: phone, change: what, notices: notices.length }, 'subscriber changed');
    if (notices.length > 0) this.deps.onNoticesQueued();
  }

  private get lock(): boolean {
    return this.deps.db.dialect === 'postgres';
  }
}

export function newSubscriber(phone: string, status: SubscriberStatus, complete: boolean, now: number): SubscriberRow {
  return {
    phone_number: phone,
    status,
    identity_complete: complete ? 1 : 0,
    created_at: now,
    updated_at: now,
    contract_ended_at: status === 'active' ? null : now,
  };
}

export function checkNumber(phone: string): string {
  const trimmed = phone.trim();
  if (!E164.test(trimmed)) throw new SubscriberInputError(`${phone} is not an E.164 number such as +79001234567`);
  return trimmed;
}
