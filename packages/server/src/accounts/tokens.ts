import { randomBytes } from 'node:crypto';
import { sha256Hex } from '@signet/common';

/** A session token: 256 random bits. Only its hash is stored. */
export function newSessionToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashSessionToken(token) };
}

export function hashSessionToken(token: string): string {
  return sha256Hex(token);
}
