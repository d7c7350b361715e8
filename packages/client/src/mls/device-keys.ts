import type { CiphersuiteImpl } from 'ts-mls';
import { fromUtf8, toBase64url, utf8 } from './bytes';
import { MlsCodecError } from './errors';
import { type DeviceIdentity, isValidId } from './identity';
import { decodeRecord, encodeRecord } from './record-codec';

/**
 * A device's long-term MLS signature key pair. One key per device, shared by all its KeyPackages and
 * groups: it is what the server's credential binds and what the safety number covers.
 */
export interface DeviceKeys {
  identity: DeviceIdentity;
  /** Raw Ed25519 public key (32 bytes). */
  signaturePublicKey: Uint8Array;
  /** In the form the cipher suite's signer takes (PKCS#8 when Web Crypto made it). Secret. */
  signaturePrivateKey: Uint8Array;
}

export async function generateDeviceKeys(cs: CiphersuiteImpl, identity: DeviceIdentity): Promise<DeviceKeys> {
  if (!isValidId(identity.accountId) || !isValidId(identity.deviceId))
    throw new TypeError('invalid account or device id');
  const { publicKey, signKey } = await cs.signature.keygen();
  return { identity: { ...identity }, signaturePublicKey: publicKey, signaturePrivateKey: signKey };
}

/** The `signatureKey` a device sends to the server to be bound (RequestCredential). */
export function signatureKeyText(keys: Pick<DeviceKeys, 'signaturePublicKey'>): string {
  return toBase64url(keys.signaturePublicKey);
}

const TAG = 'signet-mls-device-keys/1';

export function encodeDeviceKeys(keys: DeviceKeys): Uint8Array {
  return encodeRecord(TAG, [
    utf8(keys.identity.accountId),
    utf8(keys.identity.deviceId),
    keys.signaturePublicKey,
    keys.signaturePrivateKey,
  ]);
}

export function decodeDeviceKeys(bytes: Uint8Array): DeviceKeys {
  const [accountId, deviceId, signaturePublicKey, signaturePrivateKey] = decodeRecord(TAG, bytes, 4);
  const identity = { accountId: fromUtf8(accountId!), deviceId: fromUtf8(deviceId!) };
  if (!isValidId(identity.accountId) || !isValidId(identity.deviceId))
    throw new MlsCodecError('invalid stored identity');
  return { identity, signaturePublicKey: signaturePublicKey!, signaturePrivateKey: signaturePrivateKey! };
}
