import { createHash, randomBytes } from 'node:crypto';

/** An opaque identifier: a prefix and `bytes` random bytes in base64url. */
export function randomId(prefix: string, bytes = 16): string {
  return `${prefix}_${randomBytes(bytes).toString('base64url')}`;
}

/** Crockford's base32: its digits sort in ASCII order. */
const TIME_DIGITS = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * An opaque identifier that sorts by its time, as a ULID does: a prefix, `at` (milliseconds) in ten base32
 * digits, and `bytes` random bytes. Rows keyed by it land at the end of their index instead of anywhere in
 * it, which keeps writes and lookups of recent rows on few pages.
 */
export function sortableId(prefix: string, at: number, bytes = 16): string {
  let time = '';
  for (let t = Math.max(0, Math.floor(at)), i = 0; i < 10; i++, t = Math.floor(t / 32)) {
    time = TIME_DIGITS[t % 32] + time;
  }
  return `${prefix}_${time}${randomBytes(bytes).toString('base64url')}`;
}

export function sha256(input: string | Uint8Array): Buffer {
  return createHash('sha256').update(input).digest();
}

export function sha256Hex(input: string | Uint8Array): string {
  return createHash('sha256').update(input).digest('hex');
}
