import { bufferSource, fromBase64url, toBase64url, utf8 } from './bytes';
import type { DeviceIdentity } from './identity';

/**
 * The server's statement "this MLS signature key belongs to this identified account's device"
 * (the protocol's `DeviceCredential`, of which this is the part a check needs).
 */
export interface CredentialBinding {
  accountId: string;
  deviceId: string;
  /** The device's raw Ed25519 signature public key, unpadded base64url. */
  signatureKey: string;
  /** Which server key signed it. */
  keyId: string;
  /** Ed25519 over `credentialBindingMessage(...)`, unpadded base64url. */
  signature: string;
}

/** A published server credential-signing key (the protocol's `ServerKey`); retired keys still verify. */
export interface ServerSigningKey {
  keyId: string;
  /** Raw Ed25519 public key, unpadded base64url. */
  publicKey: string;
}

/** The exact bytes the server signs: UTF-8 `signet-credential-v1|accountId|deviceId|signatureKey`. */
export function credentialBindingMessage(accountId: string, deviceId: string, signatureKey: string): Uint8Array {
  return utf8(`signet-credential-v1|${accountId}|${deviceId}|${signatureKey}`);
}

/** Checks the binding's Ed25519 signature with the server key it names (Web Crypto, Node 20 and browsers). */
export async function verifyCredentialBinding(binding: CredentialBinding, keys: ServerSigningKey[]): Promise<boolean> {
  const key = keys.find((k) => k.keyId === binding.keyId);
  if (key === undefined) return false;
  try {
    const publicKey = await crypto.subtle.importKey(
      'raw',
      bufferSource(fromBase64url(key.publicKey)),
      'Ed25519',
      false,
      ['verify'],
    );
    return await crypto.subtle.verify(
      'Ed25519',
      publicKey,
      bufferSource(fromBase64url(binding.signature)),
      bufferSource(credentialBindingMessage(binding.accountId, binding.deviceId, binding.signatureKey)),
    );
  } catch {
    // A malformed key or signature verifies nothing.
    return false;
  }
}

/**
 * Signs a binding as the server does. The server signs with node:crypto; this twin exists for tests
 * and for any JavaScript Authentication Service, and must produce the same bytes.
 */
export async function signCredentialBinding(
  privateKey: CryptoKey,
  keyId: string,
  device: DeviceIdentity,
  signaturePublicKey: Uint8Array,
): Promise<CredentialBinding> {
  const signatureKey = toBase64url(signaturePublicKey);
  const signature = await crypto.subtle.sign(
    'Ed25519',
    privateKey,
    bufferSource(credentialBindingMessage(device.accountId, device.deviceId, signatureKey)),
  );
  return { ...device, signatureKey, keyId, signature: toBase64url(new Uint8Array(signature)) };
}
