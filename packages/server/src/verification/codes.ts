import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';

/** A uniformly random 6-digit code. */
export function newCode(): string {
  return randomInt(0, 1_000_000).toString().padStart(6, '0');
}

/** Codes are stored only as an HMAC under the server's code key, bound to their session. */
export function hashCode(key: Buffer, sessionId: string, code: string): string {
  return createHmac('sha256', key).update(`${sessionId}:${code}`).digest('base64url');
}

export function codeMatches(key: Buffer, sessionId: string, code: string, stored: string): boolean {
  const a = Buffer.from(hashCode(key, sessionId, code));
  const b = Buffer.from(stored);
  return a.length === b.length && timingSafeEqual(a, b);
}
