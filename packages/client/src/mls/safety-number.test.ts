import type { CiphersuiteImpl } from 'ts-mls';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCipherSuite } from './cipher-suite';
import {
  computeSafetyNumber,
  formatSafetyNumber,
  matchesScannedSafetyNumber,
  type SafetyNumberParty,
  safetyNumber,
} from './safety-number';

let cs: CiphersuiteImpl;
const key = async () => (await cs.signature.keygen()).publicKey;

beforeAll(async () => {
  cs = await loadCipherSuite();
});

describe('safety numbers', () => {
  it('are 60 digits, the same on both sides, and the QR payloads match', async () => {
    const alice: SafetyNumberParty = { accountId: 'acc_alice', signatureKeys: [await key(), await key()] };
    const bob: SafetyNumberParty = { accountId: 'acc_bob', signatureKeys: [await key()] };
    const atAlice = await computeSafetyNumber(alice, bob);
    const atBob = await computeSafetyNumber(bob, alice);
    expect(atAlice.digits).toMatch(/^\d{60}$/);
    expect(atBob).toEqual(atAlice);
    expect(formatSafetyNumber(atAlice.digits).split(' ')).toHaveLength(12);
    expect(atAlice.qrPayload.length).toBeLessThan(64);
    expect(await matchesScannedSafetyNumber(atBob.qrPayload, alice, bob)).toBe(true);
    // Listing an account's device keys in another order changes nothing.
    const reordered = { ...alice, signatureKeys: [...alice.signatureKeys].reverse() };
    expect(await safetyNumber(bob, reordered)).toBe(atAlice.digits);
  });

  it('change when any identity key of either side changes', async () => {
    const alice: SafetyNumberParty = { accountId: 'acc_alice', signatureKeys: [await key()] };
    const bob: SafetyNumberParty = { accountId: 'acc_bob', signatureKeys: [await key()] };
    const before = await computeSafetyNumber(alice, bob);
    const bobRekeyed = { ...bob, signatureKeys: [await key()] };
    const bobNewDevice = { ...bob, signatureKeys: [...bob.signatureKeys, await key()] };
    const after = await computeSafetyNumber(alice, bobRekeyed);
    expect(after.digits).not.toBe(before.digits);
    expect(await safetyNumber(alice, bobNewDevice)).not.toBe(before.digits);
    expect(await matchesScannedSafetyNumber(before.qrPayload, alice, bobRekeyed)).toBe(false);
    expect(await matchesScannedSafetyNumber('garbage', alice, bob)).toBe(false);
    // The account id is part of it too: the same key under another account gives another number.
    expect(await safetyNumber(alice, { ...bob, accountId: 'acc_mallory' })).not.toBe(before.digits);
  });
});
