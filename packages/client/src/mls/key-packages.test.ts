import { beforeAll, describe, expect, it } from 'vitest';
import { fromBase64url } from './bytes';
import { keyPackageFromBytes, keyPackageToBytes } from './codec';
import { NoMatchingKeyPackageError } from './errors';
import {
  decodeKeyPackageBundle,
  encodeKeyPackageBundle,
  generateKeyPackages,
  keyPackageRef,
  keyPackageUpload,
} from './key-packages';
import { createGroup, joinGroupFromWelcome } from './lifecycle';
import { createFakeServer, createTestDevice, type FakeServer, type TestDevice } from './test-support';

let server: FakeServer;
let alice: TestDevice;
let bob: TestDevice;

beforeAll(async () => {
  server = await createFakeServer();
  alice = await createTestDevice(server, 'alice');
  bob = await createTestDevice(server, 'bob');
});

describe('KeyPackages', () => {
  it('generates N one-time KeyPackages and one last-resort, all under the device key', async () => {
    const generated = await generateKeyPackages(server.cs, bob.keys, { count: 5, now: Date.UTC(2030, 0, 1) });
    expect(generated.oneTime).toHaveLength(5);
    expect(generated.oneTime.every((b) => !b.lastResort)).toBe(true);
    expect(generated.lastResort.lastResort).toBe(true);
    const all = [...generated.oneTime, generated.lastResort];
    expect(new Set(all.map((b) => b.ref)).size).toBe(6);
    for (const b of all) {
      expect(b.keyPackage.leafNode.signaturePublicKey).toEqual(bob.keys.signaturePublicKey);
      expect(b.keyPackage.leafNode.leafNodeSource === 'key_package' && b.keyPackage.leafNode.lifetime.notAfter).toBe(
        BigInt(Date.UTC(2030, 0, 1) / 1000 + 90 * 24 * 3600),
      );
    }
    const upload = keyPackageUpload(generated);
    expect(upload.keyPackages).toHaveLength(5);
    expect(await keyPackageRef(server.cs, keyPackageFromBytes(fromBase64url(upload.lastResort)))).toBe(
      generated.lastResort.ref,
    );
  });

  it('survive storage as bytes, private keys included, and still open their Welcome', async () => {
    const stored = [...bob.keyPackages.oneTime, bob.keyPackages.lastResort].map(encodeKeyPackageBundle);
    const restored = stored.map(decodeKeyPackageBundle);
    expect(restored[2]).toEqual(bob.keyPackages.lastResort);
    expect(keyPackageToBytes(restored[0]!.keyPackage)).toEqual(
      keyPackageToBytes(bob.keyPackages.oneTime[0]!.keyPackage),
    );

    const a = await createGroup(alice.ctx, alice.keys);
    const pending = await a.commit({ add: [bob.keyPackages.lastResort.keyPackage] });
    const joined = await joinGroupFromWelcome(bob.ctx, pending.welcome!, restored);
    expect(joined.keyPackage.lastResort).toBe(true);
    expect(joined.group.epoch).toBe(1n);
    await expect(joinGroupFromWelcome(bob.ctx, pending.welcome!, restored.slice(0, 2))).rejects.toBeInstanceOf(
      NoMatchingKeyPackageError,
    );
  });
});
