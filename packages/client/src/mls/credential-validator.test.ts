import { generateKeyPairSync, sign } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { credentialBindingMessage, verifyCredentialBinding } from './binding';
import { toBase64url, utf8 } from './bytes';
import { loadCipherSuite } from './cipher-suite';
import { createServerBindingValidator } from './credential-validator';
import {
  type DeviceKeys,
  decodeDeviceKeys,
  encodeDeviceKeys,
  generateDeviceKeys,
  signatureKeyText,
} from './device-keys';
import { deviceCredential, parseCredentialSubject, parseIdentityBytes, serverCredential } from './identity';
import { createFakeServer, type FakeServer } from './test-support';

let server: FakeServer;
let device: DeviceKeys;

beforeAll(async () => {
  server = await createFakeServer();
  device = await generateDeviceKeys(server.cs, { accountId: 'acc_1', deviceId: 'dev_1' });
});

function validator(overrides: Partial<Parameters<typeof createServerBindingValidator>[0]> = {}) {
  return createServerBindingValidator({
    serverKeys: server.keys,
    lookupBinding: async (d) => server.bindings.get(`${d.accountId}|${d.deviceId}`),
    externalSenders: [{ serverId: server.signer.serverId, signaturePublicKey: server.signer.signaturePublicKey }],
    ...overrides,
  });
}

describe('device credentials', () => {
  it('encode account and device as one canonical text and read back only that form', () => {
    const credential = deviceCredential({ accountId: 'acc_1', deviceId: 'dev-2' });
    expect(new TextDecoder().decode(credential.identity)).toBe('signet-device-v1|acc_1|dev-2');
    expect(parseCredentialSubject(credential)).toEqual({ kind: 'device', accountId: 'acc_1', deviceId: 'dev-2' });
    expect(parseCredentialSubject(serverCredential({ serverId: 'main' }))).toEqual({
      kind: 'server',
      serverId: 'main',
    });
    for (const bad of [
      'signet-device-v1|a|b|c',
      'signet-device-v1|a',
      'signet-device-v2|a|b',
      ' signet-device-v1|a|b',
      '{"a":1}',
    ]) {
      expect(parseIdentityBytes(utf8(bad))).toBeUndefined();
    }
    expect(parseIdentityBytes(new Uint8Array([0xff, 0xfe]))).toBeUndefined();
    expect(() => deviceCredential({ accountId: 'a|b', deviceId: 'c' })).toThrow(TypeError);
    expect(() => deviceCredential({ accountId: '', deviceId: 'c' })).toThrow(TypeError);
  });

  it('keeps device keys through their byte encoding', async () => {
    const restored = decodeDeviceKeys(encodeDeviceKeys(device));
    expect(restored).toEqual(device);
    const signature = await server.cs.signature.sign(restored.signaturePrivateKey, utf8('m'));
    expect(await server.cs.signature.verify(device.signaturePublicKey, utf8('m'), signature)).toBe(true);
  });
});

describe('server binding signatures', () => {
  it('verify a binding signed the way the server signs it (node:crypto Ed25519)', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const spki = publicKey.export({ format: 'der', type: 'spki' });
    const signatureKey = signatureKeyText(device);
    const message = Buffer.from(`signet-credential-v1|acc_1|dev_1|${signatureKey}`, 'utf8');
    expect(Buffer.from(credentialBindingMessage('acc_1', 'dev_1', signatureKey)).equals(message)).toBe(true);
    const binding = {
      accountId: 'acc_1',
      deviceId: 'dev_1',
      signatureKey,
      keyId: 'k1',
      signature: sign(null, message, privateKey).toString('base64url'),
    };
    const keys = [{ keyId: 'k1', publicKey: spki.subarray(spki.length - 32).toString('base64url') }];
    expect(await verifyCredentialBinding(binding, keys)).toBe(true);
    expect(await verifyCredentialBinding({ ...binding, deviceId: 'dev_2' }, keys)).toBe(false);
    expect(await verifyCredentialBinding({ ...binding, keyId: 'k2' }, keys)).toBe(false);
    expect(await verifyCredentialBinding({ ...binding, signature: 'not-a-signature' }, keys)).toBe(false);
  });
});

describe('createServerBindingValidator', () => {
  it('accepts a device whose key the server bound, and nothing else', async () => {
    await server.issue(device);
    const credential = deviceCredential(device.identity);
    expect(await validator().validate(credential, device.signaturePublicKey)).toEqual({
      valid: true,
      subject: { kind: 'device', accountId: 'acc_1', deviceId: 'dev_1' },
    });

    const other = await generateDeviceKeys(server.cs, device.identity);
    expect(await validator().validate(credential, other.signaturePublicKey)).toMatchObject({ valid: false });
    expect(
      await validator().validate(
        deviceCredential({ accountId: 'acc_1', deviceId: 'dev_9' }),
        device.signaturePublicKey,
      ),
    ).toEqual({ valid: false, reason: 'the server published no binding for this key' });
    expect(await validator({ serverKeys: [] }).validate(credential, device.signaturePublicKey)).toEqual({
      valid: false,
      reason: 'the binding signature does not verify',
    });
    expect(
      await validator().validate({ credentialType: 'basic', identity: utf8('alice') }, device.signaturePublicKey),
    ).toMatchObject({ valid: false, reason: 'not a Signet credential' });
  });

  it('accepts the server credential only under a pinned external-sender key', async () => {
    const credential = serverCredential({ serverId: server.signer.serverId });
    expect((await validator().validate(credential, server.signer.signaturePublicKey)).valid).toBe(true);
    const impostor = await (await loadCipherSuite()).signature.keygen();
    expect((await validator().validate(credential, impostor.publicKey)).valid).toBe(false);
    expect(
      (await validator().validate(serverCredential({ serverId: 'other' }), server.signer.signaturePublicKey)).valid,
    ).toBe(false);
  });

  it('looks a binding up once per device key and fetches server keys lazily', async () => {
    await server.issue(device);
    let lookups = 0;
    let keyFetches = 0;
    const v = validator({
      lookupBinding: async (d) => {
        lookups++;
        return server.bindings.get(`${d.accountId}|${d.deviceId}`);
      },
      serverKeys: async () => {
        keyFetches++;
        return server.keys;
      },
    });
    const credential = deviceCredential(device.identity);
    await v.validate(credential, device.signaturePublicKey);
    await v.validate(credential, device.signaturePublicKey);
    expect({ lookups, keyFetches }).toEqual({ lookups: 1, keyFetches: 1 });
    expect(toBase64url(device.signaturePublicKey)).toBe(signatureKeyText(device));
  });
});
