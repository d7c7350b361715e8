import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Standard Webhooks signatures, version v1 (HMAC-SHA256), as the operator identification protocol
 * uses them in both directions (spec section 2). Signed content is `{id}.{timestamp}.{payload}`.
 */

export const SIGNATURE_TOLERANCE_S = 300;
const SECRET_PREFIX = 'whsec_';

export type SignedHeaders = {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
};

/** A secret `whsec_<base64>`; returns the key bytes, or throws for a malformed secret. */
export function secretKey(secret: string): Buffer {
  if (!secret.startsWith(SECRET_PREFIX)) throw new Error('a signing secret starts with whsec_');
  const key = Buffer.from(secret.slice(SECRET_PREFIX.length), 'base64');
  if (key.length < 16) throw new Error('a signing secret holds at least 16 bytes');
  return key;
}

/** A fresh secret of 32 random bytes. */
export function newSecret(bytes: Uint8Array): string {
  return SECRET_PREFIX + Buffer.from(bytes).toString('base64');
}

/** The payload of a request without a body: the method and the request target exactly as sent. */
export function getPayload(method: string, target: string): string {
  return `${method.toUpperCase()} ${target}`;
}

export function signature(secret: string, id: string, timestampS: number, payload: string | Uint8Array): string {
  const mac = createHmac('sha256', secretKey(secret));
  mac.update(`${id}.${timestampS}.`);
  mac.update(payload);
  return `v1,${mac.digest('base64')}`;
}

export function signHeaders(secret: string, id: string, nowMs: number, payload: string | Uint8Array): SignedHeaders {
  const ts = Math.floor(nowMs / 1000);
  return { 'webhook-id': id, 'webhook-timestamp': String(ts), 'webhook-signature': signature(secret, id, ts, payload) };
}

export type VerifyOutcome = 'ok' | 'missing' | 'stale' | 'bad-signature';

/**
 * Checks the headers against any of the sender's current secrets (key rotation), and the timestamp
 * against the receiver's clock.
 */
export function verifySignature(
  secrets: readonly string[],
  headers: Readonly<Record<string, string | string[] | undefined>>,
  payload: string | Uint8Array,
  nowMs: number,
): VerifyOutcome {
  const id = single(headers['webhook-id']);
  const ts = single(headers['webhook-timestamp']);
  const sig = single(headers['webhook-signature']);
  if (!id || !ts || !sig) return 'missing';
  if (!/^\d{1,12}$/.test(ts)) return 'stale';
  const timestamp = Number(ts);
  if (Math.abs(nowMs / 1000 - timestamp) > SIGNATURE_TOLERANCE_S) return 'stale';
  const offered = sig
    .split(' ')
    .filter((s) => s.startsWith('v1,'))
    .map((s) => Buffer.from(s.slice(3), 'base64'));
  for (const secret of secrets) {
    let expected: Buffer;
    try {
      expected = Buffer.from(signature(secret, id, timestamp, payload).slice(3), 'base64');
    } catch {
      continue;
    }
    if (offered.some((o) => o.length === expected.length && timingSafeEqual(o, expected))) return 'ok';
  }
  return 'bad-signature';
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
