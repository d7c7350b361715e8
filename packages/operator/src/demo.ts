import type { DenialReason } from '@signet/protocol';
import type { SubscriberStatus } from './db/schema/subscribers';
import type { SubscriberManager } from './subscribers/subscriber-manager';

export interface DemoSubscriber {
  phoneNumber: string;
  /** Null: the number is deliberately absent from the subscriber base. */
  status: SubscriberStatus | null;
  identityComplete: boolean;
  /** What a newcomer who registers with this number sees from the operator. */
  outcome: { result: 'confirmed' } | { result: 'denied'; reasonCode: DenialReason };
  note: string;
}

/** Russian mobile numbers in the +7 900 range, one per outcome a newcomer can meet. */
export const DEMO_SUBSCRIBERS: readonly DemoSubscriber[] = [
  {
    phoneNumber: '+79001234567',
    status: 'active',
    identityComplete: true,
    outcome: { result: 'confirmed' },
    note: 'an active contract with complete identity data',
  },
  {
    phoneNumber: '+79001000002',
    status: 'active',
    identityComplete: true,
    outcome: { result: 'confirmed' },
    note: 'a second confirmed subscriber, to talk to the first',
  },
  {
    phoneNumber: '+79001000003',
    status: 'active',
    identityComplete: false,
    outcome: { result: 'denied', reasonCode: 'SUBSCRIBER_DATA_MISSING' },
    note: 'an active contract without the identity data the law requires',
  },
  {
    phoneNumber: '+79001000004',
    status: 'ported_out',
    identityComplete: true,
    outcome: { result: 'denied', reasonCode: 'NUMBER_NOT_SERVED' },
    note: 'ported to another operator',
  },
  {
    phoneNumber: '+79001000005',
    status: 'terminated',
    identityComplete: true,
    outcome: { result: 'denied', reasonCode: 'SUBSCRIBER_NOT_FOUND' },
    note: 'a contract that ended',
  },
  {
    phoneNumber: '+79001000009',
    status: null,
    identityComplete: false,
    outcome: { result: 'denied', reasonCode: 'SUBSCRIBER_NOT_FOUND' },
    note: 'not a subscriber of this operator',
  },
];

/**
 * Seeds the demo subscribers into an empty or demo database. Numbers already present are left as they are,
 * so seeding twice changes nothing.
 */
export async function seedDemoSubscribers(subscribers: SubscriberManager): Promise<{ added: string[] }> {
  const added: string[] = [];
  for (const d of DEMO_SUBSCRIBERS) {
    if (d.status === null) continue;
    const exists = await subscribers.get(d.phoneNumber).then(
      () => true,
      () => false,
    );
    if (exists) continue;
    await subscribers.add({ phoneNumber: d.phoneNumber, identityComplete: d.identityComplete });
    if (d.status === 'terminated') await subscribers.terminate(d.phoneNumber);
    if (d.status === 'ported_out') await subscribers.portOut(d.phoneNumber);
    added.push(d.phoneNumber);
  }
  return { added };
}
