import type { AuthenticationService, Credential } from 'ts-mls';
import { type CredentialBinding, type ServerSigningKey, verifyCredentialBinding } from './binding';
import { equalBytes, toBase64url } from './bytes';
import type { ServerExternalSender } from './external-sender';
import { type CredentialSubject, type DeviceIdentity, parseCredentialSubject } from './identity';

export type CredentialVerdict = { valid: true; subject: CredentialSubject } | { valid: false; reason: string };

/**
 * Decides whether a credential and signature key may be trusted: the MLS Authentication Service check
 * (RFC 9420 §5.3.1). The group layer asks it before adding anyone, and ts-mls asks it (through
 * `toAuthenticationService`) for every leaf of a tree it joins, every leaf a commit introduces and every
 * external sender, so that no message is accepted from a member nobody vouched for.
 */
export interface CredentialValidator {
  validate(credential: Credential, signaturePublicKey: Uint8Array): Promise<CredentialVerdict>;
}

/** Finds the server's published binding for a device and key (from a claim response, a cache, an API call). */
export type BindingLookup = (device: DeviceIdentity, signatureKey: string) => Promise<CredentialBinding | undefined>;

export interface ServerBindingValidatorOptions {
  /** The server's credential-signing keys, retired ones included. */
  serverKeys: ServerSigningKey[] | (() => Promise<ServerSigningKey[]>);
  lookupBinding: BindingLookup;
  /** External senders a group may list: the pinned server key(s). */
  externalSenders: ServerExternalSender[];
}

/**
 * The Signet validator: a device credential is valid when the server's Ed25519 binding signature over
 * `signet-credential-v1|accountId|deviceId|base64url(signature key)` verifies and names exactly the
 * credential's account, device and key; a server credential only when its key is a pinned external sender.
 * Positive verdicts are cached per (account, device, key) for the validator's lifetime.
 */
export function createServerBindingValidator(options: ServerBindingValidatorOptions): CredentialValidator {
  const accepted = new Map<string, CredentialVerdict>();
  const serverKeys = async () => (typeof options.serverKeys === 'function' ? options.serverKeys() : options.serverKeys);

  return {
    async validate(credential, signaturePublicKey) {
      const subject = parseCredentialSubject(credential);
      if (subject === undefined) return { valid: false, reason: 'not a Signet credential' };
      if (subject.kind === 'server') {
        const pinned = options.externalSenders.some(
          (s) => s.serverId === subject.serverId && equalBytes(s.signaturePublicKey, signaturePublicKey),
        );
        return pinned
          ? { valid: true, subject }
          : { valid: false, reason: 'server key is not a pinned external sender' };
      }
      const signatureKey = toBase64url(signaturePublicKey);
      const cacheKey = `${subject.accountId}|${subject.deviceId}|${signatureKey}`;
      const cached = accepted.get(cacheKey);
      if (cached) return cached;
      const binding = await options.lookupBinding(subject, signatureKey);
      if (binding === undefined) return { valid: false, reason: 'the server published no binding for this key' };
      if (
        binding.accountId !== subject.accountId ||
        binding.deviceId !== subject.deviceId ||
        binding.signatureKey !== signatureKey
      ) {
        return { valid: false, reason: 'the binding names another account, device or key' };
      }
      if (!(await verifyCredentialBinding(binding, await serverKeys()))) {
        return { valid: false, reason: 'the binding signature does not verify' };
      }
      const verdict: CredentialVerdict = { valid: true, subject };
      accepted.set(cacheKey, verdict);
      return verdict;
    },
  };
}

/** Adapts a validator to the hook ts-mls calls while it validates trees, commits and external senders. */
export function toAuthenticationService(validator: CredentialValidator): AuthenticationService {
  return {
    async validateCredential(credential, signaturePublicKey) {
      return (await validator.validate(credential, signaturePublicKey)).valid;
    },
  };
}
