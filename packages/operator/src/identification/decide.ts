import type { DenialReason } from '@signet/protocol';
import type { SubscriberRow } from '../subscribers/subscriber-store';

export type Decision = { result: 'confirmed'; reasonCode: null } | { result: 'denied'; reasonCode: DenialReason };

/**
 * The operator's answer (4.2) from its subscriber base alone: present and complete, or why not. Nothing but
 * the answer leaves the operator (O8).
 */
export function decide(
  subscriber: SubscriberRow | undefined,
  phone: string,
  servedPrefixes: readonly string[],
): Decision {
  if (servedPrefixes.length > 0 && !servedPrefixes.some((p) => phone.startsWith(p))) {
    return { result: 'denied', reasonCode: 'NUMBER_NOT_SERVED' };
  }
  if (!subscriber) return { result: 'denied', reasonCode: 'SUBSCRIBER_NOT_FOUND' };
  if (subscriber.status === 'ported_out') return { result: 'denied', reasonCode: 'NUMBER_NOT_SERVED' };
  // A number whose contract ended belongs to no subscriber until it is given out again.
  if (subscriber.status === 'terminated') return { result: 'denied', reasonCode: 'SUBSCRIBER_NOT_FOUND' };
  if (subscriber.identity_complete !== 1) return { result: 'denied', reasonCode: 'SUBSCRIBER_DATA_MISSING' };
  return { result: 'confirmed', reasonCode: null };
}
