import { createHash, randomBytes } from 'node:crypto';

/** An opaque identifier: a prefix and `bytes` random bytes in base64url. */
export function randomId(prefix: string, bytes = 16): string {
  return `${prefix}_${randomBytes(bytes).toString('base64url')}`;
}

export function sha256(input: string | Uint8Array): Buffer {
  return createHash('sha256').update(input).digest();
}

export function sha256Hex(input: string | Uint8Array): string {
  return createHash('sha256').update(input).digest('hex');
}
