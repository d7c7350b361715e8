import { bufferSource, concatBytes, equalBytes, fromBase64url, toBase64url, utf8 } from './bytes';

/** One side of a conversation: an account and the identity (MLS signature) keys of its devices. */
export interface SafetyNumberParty {
  accountId: string;
  signatureKeys: Uint8Array[];
}

export interface SafetyNumber {
  /** 60 decimal digits, identical on both sides. */
  digits: string;
  /** What a QR code carries; identical on both sides, so a scan compares by equality. */
  qrPayload: string;
}

// Signal's numeric fingerprint: 5200 SHA-512 iterations, version 0, 30 digits per party.
const VERSION = 0;
const ITERATIONS = 5200;
const QR_PREFIX = 'signet-sn:1:';

/**
 * A Signal-style safety number: each party's fingerprint is SHA-512 iterated 5200 times over
 * version ‖ keys ‖ account id, then keys again each round; each gives 30 digits, and the two halves are
 * put in sorted order, so that both users see the same 60 digits whoever computes them. It changes when
 * any device key of either account changes (a device added, removed or re-keyed).
 */
export async function computeSafetyNumber(local: SafetyNumberParty, remote: SafetyNumberParty): Promise<SafetyNumber> {
  const [a, b] = await Promise.all([fingerprint(local), fingerprint(remote)]);
  const halves = [
    { digits: displayDigits(a), fingerprint: a },
    { digits: displayDigits(b), fingerprint: b },
  ].sort((x, y) => (x.digits < y.digits ? -1 : x.digits > y.digits ? 1 : 0));
  return {
    digits: halves[0]!.digits + halves[1]!.digits,
    qrPayload:
      QR_PREFIX +
      toBase64url(concatBytes(halves[0]!.fingerprint.subarray(0, 16), halves[1]!.fingerprint.subarray(0, 16))),
  };
}

export async function safetyNumber(local: SafetyNumberParty, remote: SafetyNumberParty): Promise<string> {
  return (await computeSafetyNumber(local, remote)).digits;
}

/** `12345 67890 …`: twelve groups of five, as users read them aloud. */
export function formatSafetyNumber(digits: string): string {
  return digits.match(/.{1,5}/g)?.join(' ') ?? '';
}

/** True when a scanned QR payload is the one this conversation's keys give. */
export async function matchesScannedSafetyNumber(
  scanned: string,
  local: SafetyNumberParty,
  remote: SafetyNumberParty,
): Promise<boolean> {
  if (!scanned.startsWith(QR_PREFIX)) return false;
  const expected = (await computeSafetyNumber(local, remote)).qrPayload;
  try {
    return equalBytes(fromBase64url(scanned.slice(QR_PREFIX.length)), fromBase64url(expected.slice(QR_PREFIX.length)));
  } catch {
    return false;
  }
}

async function fingerprint(party: SafetyNumberParty): Promise<Uint8Array> {
  const keys = encodeKeys(party.signatureKeys);
  let hash = concatBytes(new Uint8Array([VERSION >> 8, VERSION & 0xff]), keys, utf8(party.accountId));
  for (let i = 0; i < ITERATIONS; i++) {
    hash = new Uint8Array(await crypto.subtle.digest('SHA-512', bufferSource(concatBytes(hash, keys))));
  }
  return hash;
}

/** Keys in a canonical order, each length-prefixed, so that the order devices were listed in does not matter. */
function encodeKeys(keys: Uint8Array[]): Uint8Array {
  if (keys.length === 0) throw new TypeError('a safety number needs at least one identity key');
  const sorted = [...keys].sort(compareBytes);
  return concatBytes(...sorted.flatMap((k) => [new Uint8Array([k.length >> 8, k.length & 0xff]), k]));
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    if (a[i] !== b[i]) return a[i]! - b[i]!;
  }
  return a.length - b.length;
}

/** Six 5-byte chunks of the fingerprint, each a 40-bit big-endian number mod 100000. */
function displayDigits(fp: Uint8Array): string {
  let out = '';
  for (let chunk = 0; chunk < 6; chunk++) {
    let value = 0;
    for (let i = 0; i < 5; i++) value = value * 256 + fp[chunk * 5 + i]!;
    out += String(value % 100000).padStart(5, '0');
  }
  return out;
}
