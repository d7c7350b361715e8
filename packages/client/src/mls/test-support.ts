// Test helpers: an in-memory stand-in for the server's Authentication and Delivery Services.
import type { CiphersuiteImpl } from 'ts-mls';
import { type CredentialBinding, type ServerSigningKey, signCredentialBinding } from './binding';
import { toBase64url } from './bytes';
import { loadCipherSuite } from './cipher-suite';
import { createMlsContext, type MlsContext } from './context';
import { createServerBindingValidator } from './credential-validator';
import { type DeviceKeys, generateDeviceKeys } from './device-keys';
import type { ServerSigner } from './external-sender';
import type { MlsGroup, PendingCommit } from './group';
import { type GeneratedKeyPackages, generateKeyPackages } from './key-packages';

export interface FakeServer {
  cs: CiphersuiteImpl;
  signer: ServerSigner;
  keys: ServerSigningKey[];
  bindings: Map<string, CredentialBinding>;
  /** Signs a binding for the device's key, as the server does after identification. */
  issue(device: DeviceKeys): Promise<CredentialBinding>;
  context(): Promise<MlsContext>;
  /** The Delivery Service's ordering: one commit per group epoch, first come first served. */
  submitCommit(group: MlsGroup, pending: PendingCommit): 'accepted' | 'conflict';
  epochOf(conversationId: string): bigint;
}

export async function createFakeServer(): Promise<FakeServer> {
  const cs = await loadCipherSuite();
  const bindingKey = (await crypto.subtle.generateKey('Ed25519', true, ['sign', 'verify'])) as CryptoKeyPair;
  const keyId = 'sk_test';
  const keys = [
    { keyId, publicKey: toBase64url(new Uint8Array(await crypto.subtle.exportKey('raw', bindingKey.publicKey))) },
  ];
  const external = await cs.signature.keygen();
  const signer: ServerSigner = {
    serverId: 'signet-test',
    signaturePublicKey: external.publicKey,
    signaturePrivateKey: external.signKey,
  };
  const bindings = new Map<string, CredentialBinding>();
  const epochs = new Map<string, bigint>();
  return {
    cs,
    signer,
    keys,
    bindings,
    async issue(device) {
      const binding = await signCredentialBinding(
        bindingKey.privateKey,
        keyId,
        device.identity,
        device.signaturePublicKey,
      );
      bindings.set(`${binding.accountId}|${binding.deviceId}`, binding);
      return binding;
    },
    context() {
      return createMlsContext({
        cipherSuite: cs,
        server: { serverId: signer.serverId, signaturePublicKey: signer.signaturePublicKey },
        validator: createServerBindingValidator({
          serverKeys: keys,
          lookupBinding: async (device) => bindings.get(`${device.accountId}|${device.deviceId}`),
          externalSenders: [{ serverId: signer.serverId, signaturePublicKey: signer.signaturePublicKey }],
        }),
      });
    },
    submitCommit(group, pending) {
      const current = epochs.get(group.conversationId) ?? pending.epoch;
      if (pending.epoch !== current) return 'conflict';
      epochs.set(group.conversationId, current + 1n);
      return 'accepted';
    },
    epochOf(conversationId) {
      return epochs.get(conversationId) ?? 0n;
    },
  };
}

export interface TestDevice {
  name: string;
  keys: DeviceKeys;
  ctx: MlsContext;
  keyPackages: GeneratedKeyPackages;
}

/** A device with its own keys, context and KeyPackages; bound by the server unless told otherwise. */
export async function createTestDevice(
  server: FakeServer,
  name: string,
  options: { bind?: boolean } = {},
): Promise<TestDevice> {
  const keys = await generateDeviceKeys(server.cs, { accountId: `acc_${name}`, deviceId: `dev_${name}` });
  if (options.bind !== false) await server.issue(keys);
  return {
    name,
    keys,
    ctx: await server.context(),
    keyPackages: await generateKeyPackages(server.cs, keys, { count: 2 }),
  };
}

export const text = (s: string) => new TextEncoder().encode(s);
export const readText = (b: Uint8Array) => new TextDecoder().decode(b);
