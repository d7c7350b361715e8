import {
  type CiphersuiteImpl,
  defaultCapabilities,
  generateKeyPackageWithKey,
  type KeyPackage,
  type PrivateKeyPackage,
} from 'ts-mls';
import { makeKeyPackageRef } from 'ts-mls/keyPackage.js';
import { fromUtf8, toBase64url, utf8 } from './bytes';
import { keyPackageFromBytes, keyPackageToBytes } from './codec';
import type { DeviceKeys } from './device-keys';
import { MlsCodecError } from './errors';
import { deviceCredential } from './identity';
import { decodeRecord, encodeRecord } from './record-codec';

/** A KeyPackage with the private keys that open a Welcome made for it. */
export interface KeyPackageBundle {
  /** KeyPackageRef (RFC 9420 §5.2), base64url: how a Welcome names the KeyPackage it was made for. */
  ref: string;
  /**
   * Handed out when the one-time ones are gone, possibly to several adders, and kept after use
   * (like Signal's last-resort prekey). RFC 9420 has no such flag; the server learns it from the upload.
   */
  lastResort: boolean;
  keyPackage: KeyPackage;
  /** Secret: init and HPKE private keys, and the device's signature key. */
  privateKeys: PrivateKeyPackage;
}

export interface GeneratedKeyPackages {
  oneTime: KeyPackageBundle[];
  lastResort: KeyPackageBundle;
}

export interface KeyPackageOptions {
  /** How many one-time KeyPackages. */
  count: number;
  /** Validity from now; 90 days unless told. */
  lifetimeSeconds?: number;
  /** Milliseconds since the epoch; injectable for tests. */
  now?: number;
}

const DEFAULT_LIFETIME_SECONDS = 90 * 24 * 3600;
// Accept a KeyPackage from a device whose clock runs a little ahead.
const CLOCK_SKEW_SECONDS = 3600;

/** N one-time KeyPackages and one last-resort KeyPackage, all under the device's one signature key. */
export async function generateKeyPackages(
  cs: CiphersuiteImpl,
  device: DeviceKeys,
  options: KeyPackageOptions,
): Promise<GeneratedKeyPackages> {
  if (!Number.isInteger(options.count) || options.count < 0)
    throw new RangeError('count must be a non-negative integer');
  const oneTime: KeyPackageBundle[] = [];
  for (let i = 0; i < options.count; i++) oneTime.push(await generateKeyPackage(cs, device, false, options));
  return { oneTime, lastResort: await generateKeyPackage(cs, device, true, options) };
}

export async function generateKeyPackage(
  cs: CiphersuiteImpl,
  device: DeviceKeys,
  lastResort: boolean,
  options: Omit<KeyPackageOptions, 'count'> = {},
): Promise<KeyPackageBundle> {
  const nowSeconds = BigInt(Math.floor((options.now ?? Date.now()) / 1000));
  const lifetime = {
    notBefore: nowSeconds - BigInt(CLOCK_SKEW_SECONDS),
    notAfter: nowSeconds + BigInt(options.lifetimeSeconds ?? DEFAULT_LIFETIME_SECONDS),
  };
  const { publicPackage, privatePackage } = await generateKeyPackageWithKey(
    deviceCredential(device.identity),
    defaultCapabilities(),
    lifetime,
    [],
    { signKey: device.signaturePrivateKey, publicKey: device.signaturePublicKey },
    cs,
  );
  return {
    ref: await keyPackageRef(cs, publicPackage),
    lastResort,
    keyPackage: publicPackage,
    privateKeys: privatePackage,
  };
}

export async function keyPackageRef(cs: CiphersuiteImpl, keyPackage: KeyPackage): Promise<string> {
  return toBase64url(await makeKeyPackageRef(keyPackage, cs.hash));
}

/** The body of the key directory's upload (protocol `UploadKeyPackages`). */
export function keyPackageUpload(generated: GeneratedKeyPackages): { keyPackages: string[]; lastResort: string } {
  return {
    keyPackages: generated.oneTime.map((b) => toBase64url(keyPackageToBytes(b.keyPackage))),
    lastResort: toBase64url(keyPackageToBytes(generated.lastResort.keyPackage)),
  };
}

const TAG = 'signet-mls-key-package/1';

export function encodeKeyPackageBundle(bundle: KeyPackageBundle): Uint8Array {
  return encodeRecord(TAG, [
    utf8(bundle.ref),
    new Uint8Array([bundle.lastResort ? 1 : 0]),
    keyPackageToBytes(bundle.keyPackage),
    bundle.privateKeys.initPrivateKey,
    bundle.privateKeys.hpkePrivateKey,
    bundle.privateKeys.signaturePrivateKey,
  ]);
}

export function decodeKeyPackageBundle(bytes: Uint8Array): KeyPackageBundle {
  const [ref, flag, keyPackage, initPrivateKey, hpkePrivateKey, signaturePrivateKey] = decodeRecord(TAG, bytes, 6);
  if (flag!.length !== 1 || flag![0]! > 1) throw new MlsCodecError('bad last-resort flag');
  return {
    ref: fromUtf8(ref!),
    lastResort: flag![0] === 1,
    keyPackage: keyPackageFromBytes(keyPackage!),
    privateKeys: {
      initPrivateKey: initPrivateKey!,
      hpkePrivateKey: hpkePrivateKey!,
      signaturePrivateKey: signaturePrivateKey!,
    },
  };
}
