import { createHmac, timingSafeEqual } from 'node:crypto';
import type { ListingPosition } from './registration-store';

/**
 * Reconciliation cursors (4.5): the last position of a page, bound to the messenger and authenticated with
 * the operator's key, so that a cursor this operator did not issue (or issued to another messenger) is
 * refused with 400 instead of being trusted.
 */
export function encodeCursor(key: Buffer, messengerId: string, at: ListingPosition): string {
  const payload = Buffer.from(JSON.stringify([at.changedAt, at.userCode, at.phoneNumber])).toString('base64url');
  return `${payload}.${mac(key, messengerId, payload)}`;
}

export function decodeCursor(key: Buffer, messengerId: string, cursor: string): ListingPosition | undefined {
  const [payload, tag, extra] = cursor.split('.');
  if (!payload || !tag || extra !== undefined) return undefined;
  const expected = Buffer.from(mac(key, messengerId, payload));
  const given = Buffer.from(tag);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  try {
    const [changedAt, userCode, phoneNumber] = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    if (typeof changedAt !== 'number' || typeof userCode !== 'string' || typeof phoneNumber !== 'string')
      return undefined;
    return { changedAt, userCode, phoneNumber };
  } catch {
    return undefined;
  }
}

function mac(key: Buffer, messengerId: string, payload: string): string {
  return createHmac('sha256', key).update(`${messengerId}.${payload}`).digest('base64url').slice(0, 22);
}
