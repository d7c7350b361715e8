import { createPublicKey, verify } from 'node:crypto';
import { HOUR, testDialects } from '@signet/common';
import { ClaimedKeyPackages, DeviceCredential, KeyPackageStock, LookupResult, ServerKeys } from '@signet/protocol';
import { Value } from 'typebox/value';
import { afterEach, describe, expect, it } from 'vitest';
import { TestServer } from './harness';
import { blob, identifiedUser, setState, type User } from './messaging-helpers';

/** Checks an Ed25519 signature with node:crypto alone, from the raw key the server publishes. */
function verifies(publicKeyRaw: string, message: string, signature: string): boolean {
  const spki = Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), Buffer.from(publicKeyRaw, 'base64url')]);
  const key = createPublicKey({ key: spki, format: 'der', type: 'spki' });
  return verify(null, Buffer.from(message, 'utf8'), key, Buffer.from(signature, 'base64url'));
}

const signedText = (c: { accountId: string; deviceId: string; signatureKey: string }) =>
  `signet-credential-v1|${c.accountId}|${c.deviceId}|${c.signatureKey}`;

describe.each(testDialects())('messaging keys (%s)', (dialect) => {
  let t: TestServer;
  afterEach(async () => {
    await t?.close();
  });

  const put = (path: string, body: unknown, token: string) => t.request('PUT', path, body, token);
  const post = (path: string, body: unknown, token: string) => t.request('POST', path, body, token);
  const get = (path: string, token?: string) => t.request('GET', path, undefined, token);

  async function credential(user: User, signatureKey = blob(32)) {
    const res = await put('/v1/keys/credential', { signatureKey }, user.token);
    expect(res.status).toBe(200);
    expect(Value.Check(DeviceCredential, res.body)).toBe(true);
    return res.body as DeviceCredential;
  }

  async function serverKeys() {
    const res = await get('/v1/keys/server');
    expect(res.status).toBe(200);
    expect(Value.Check(ServerKeys, res.body)).toBe(true);
    return (res.body as ServerKeys).keys;
  }

  describe('credentials', () => {
    it('refuses a credential to an account that is not identified', async () => {
      t = await TestServer.start(dialect);
      const { token, accountId } = await t.register('+79001230001');
      const res = await put('/v1/keys/credential', { signatureKey: blob(32) }, token);
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('NOT_IDENTIFIED');
      const stored = await t.ctx.db.db
        .selectFrom('device_credentials')
        .select('device_id')
        .where('account_id', '=', accountId)
        .execute();
      expect(stored).toEqual([]);
    });

    it('signs the signature key of an identified device with a published Ed25519 key', async () => {
      t = await TestServer.start(dialect);
      const a = await identifiedUser(t, '+79001230002');
      const signatureKey = blob(32);
      const cred = await credential(a, signatureKey);
      expect(cred).toMatchObject({
        accountId: a.accountId,
        deviceId: a.deviceId,
        signatureKey,
        issuedAt: t.clock.now(),
      });

      const keys = await serverKeys();
      expect(keys).toHaveLength(1);
      const [key] = keys;
      expect(key).toMatchObject({ keyId: cred.keyId, algorithm: 'Ed25519', retiredAt: null });
      expect(Buffer.from(key?.publicKey ?? '', 'base64url')).toHaveLength(32);
      expect(verifies(key?.publicKey ?? '', signedText(cred), cred.signature)).toBe(true);
      // The signature covers every field: another device id or key does not verify.
      expect(verifies(key?.publicKey ?? '', signedText({ ...cred, deviceId: 'dev_other' }), cred.signature)).toBe(
        false,
      );
      expect(verifies(key?.publicKey ?? '', signedText({ ...cred, signatureKey: blob(32) }), cred.signature)).toBe(
        false,
      );
    });

    it('signs with a new key after rotation and keeps publishing the retired one', async () => {
      t = await TestServer.start(dialect);
      const a = await identifiedUser(t, '+79001230003');
      const b = await identifiedUser(t, '+79001230004');
      const before = await credential(a);

      t.clock.advance(HOUR);
      const newKeyId = await t.ctx.messaging.credentials.rotate();
      expect(newKeyId).not.toBe(before.keyId);
      const after = await credential(b);
      expect(after.keyId).toBe(newKeyId);

      const keys = await serverKeys();
      expect(keys.map((k) => k.keyId).sort()).toEqual([before.keyId, newKeyId].sort());
      const oldKey = keys.find((k) => k.keyId === before.keyId);
      const newKey = keys.find((k) => k.keyId === newKeyId);
      expect(oldKey?.retiredAt).toBe(t.clock.now());
      expect(newKey?.retiredAt).toBeNull();
      // Old credentials still verify with the retired key; new ones only with the new key.
      expect(verifies(oldKey?.publicKey ?? '', signedText(before), before.signature)).toBe(true);
      expect(verifies(newKey?.publicKey ?? '', signedText(after), after.signature)).toBe(true);
      expect(verifies(oldKey?.publicKey ?? '', signedText(after), after.signature)).toBe(false);
    });
  });

  describe('key packages', () => {
    async function withPackages(phone: string, oneTime: string[], lastResort?: string) {
      const user = await identifiedUser(t, phone);
      const cred = await credential(user);
      const res = await post(
        '/v1/keys/packages',
        { keyPackages: oneTime, ...(lastResort ? { lastResort } : {}) },
        user.token,
      );
      expect(res.status).toBe(200);
      return { user, cred, stock: res.body as KeyPackageStock };
    }

    async function claim(claimer: User, accountId: string) {
      return post('/v1/keys/claim', { accountId }, claimer.token);
    }

    it('counts the stock of one-time packages and says whether a last-resort one is there', async () => {
      t = await TestServer.start(dialect);
      const { user, stock } = await withPackages('+79001230010', [blob(), blob(), blob()], blob());
      expect(Value.Check(KeyPackageStock, stock)).toBe(true);
      expect(stock).toEqual({ count: 3, hasLastResort: true, lowWater: 10 });
      expect(stock.count).toBeLessThan(stock.lowWater);

      const more = await post(
        '/v1/keys/packages',
        { keyPackages: Array.from({ length: 8 }, () => blob()) },
        user.token,
      );
      expect(more.body).toEqual({ count: 11, hasLastResort: true, lowWater: 10 });
      const read = await get('/v1/keys/packages', user.token);
      expect(read.status).toBe(200);
      expect(read.body).toEqual({ count: 11, hasLastResort: true, lowWater: 10 });

      const fresh = await identifiedUser(t, '+79001230011');
      expect((await get('/v1/keys/packages', fresh.token)).body).toEqual({
        count: 0,
        hasLastResort: false,
        lowWater: 10,
      });
    });

    it('hands each one-time package out once, then the last-resort one again and again', async () => {
      t = await TestServer.start(dialect);
      const oneTime = [blob(), blob(), blob()];
      const lastResort = blob();
      const { user: a, cred } = await withPackages('+79001230012', oneTime, lastResort);
      const b = await identifiedUser(t, '+79001230013');
      const c = await identifiedUser(t, '+79001230014');

      const handed: string[] = [];
      for (const [i, claimer] of [b, c, b].entries()) {
        const res = await claim(claimer, a.accountId);
        expect(res.status).toBe(200);
        expect(Value.Check(ClaimedKeyPackages, res.body)).toBe(true);
        expect(res.body.accountId).toBe(a.accountId);
        expect(res.body.devices).toHaveLength(1);
        const [device] = res.body.devices;
        expect(device).toMatchObject({ deviceId: a.deviceId, lastResort: false, credential: cred });
        handed.push(device.keyPackage);
        expect((await get('/v1/keys/packages', a.token)).body.count).toBe(2 - i);
      }
      expect([...handed].sort()).toEqual([...oneTime].sort());

      for (const claimer of [b, c, b]) {
        const res = await claim(claimer, a.accountId);
        expect(res.status).toBe(200);
        expect(res.body.devices).toEqual([
          { deviceId: a.deviceId, keyPackage: lastResort, lastResort: true, credential: cred },
        ]);
      }
      expect((await get('/v1/keys/packages', a.token)).body).toEqual({ count: 0, hasLastResort: true, lowWater: 10 });
    });

    it('claims one package for every device of the account that has a credential', async () => {
      t = await TestServer.start(dialect);
      const phone = '+79001230015';
      const d1 = await t.register(phone);
      const d2 = await t.register(phone);
      expect(d2.accountId).toBe(d1.accountId);
      await setState(t, d1.accountId, 'identified');
      for (const d of [d1, d2]) {
        await credential(d);
        expect((await post('/v1/keys/packages', { keyPackages: [blob()] }, d.token)).status).toBe(200);
      }
      const b = await identifiedUser(t, '+79001230016');
      const res = await claim(b, d1.accountId);
      expect(res.status).toBe(200);
      expect(res.body.devices.map((d: { deviceId: string }) => d.deviceId).sort()).toEqual(
        [d1.deviceId, d2.deviceId].sort(),
      );
      // Claiming one's own account (to add one's other devices) skips the claiming device.
      const own = await claim(d1, d1.accountId);
      expect(own.status).toBe(200);
      expect(own.body.devices).toEqual([]);
    });

    it('answers 404 for an account that is not identified, as for an unknown one', async () => {
      t = await TestServer.start(dialect);
      const { user: a } = await withPackages('+79001230017', [blob()], blob());
      const b = await identifiedUser(t, '+79001230018');
      await setState(t, a.accountId, 'suspended');
      const suspended = await claim(b, a.accountId);
      expect(suspended.status).toBe(404);
      const unknown = await claim(b, 'acc_nobody');
      expect(unknown.status).toBe(404);
      expect(suspended.body.code).toBe(unknown.body.code);
      expect(suspended.body.message).toBe(unknown.body.message);
      // Nothing was handed out.
      expect((await get('/v1/keys/packages', a.token)).body.count).toBe(1);
    });

    it('refuses an unidentified claimer', async () => {
      t = await TestServer.start(dialect);
      const { user: a } = await withPackages('+79001230019', [blob()]);
      const { token } = await t.register('+79001230020');
      const res = await post('/v1/keys/claim', { accountId: a.accountId }, token);
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('NOT_IDENTIFIED');
      expect((await get('/v1/keys/packages', a.token)).body.count).toBe(1);
    });

    it("answers a blocked user's claim of the blocker's packages as for an unknown account", async () => {
      t = await TestServer.start(dialect);
      const { user: a } = await withPackages('+79001230021', [blob(), blob()], blob());
      const b = await identifiedUser(t, '+79001230022');
      expect((await put(`/v1/blocks/${b.accountId}`, undefined, a.token)).status).toBe(204);

      const blocked = await claim(b, a.accountId);
      const unknown = await claim(b, 'acc_nobody');
      expect(blocked.status).toBe(404);
      expect(blocked.body).toEqual(unknown.body);
      expect((await get('/v1/keys/packages', a.token)).body.count).toBe(2);

      // Someone else still can.
      const c = await identifiedUser(t, '+79001230023');
      expect((await claim(c, a.accountId)).body.devices).toHaveLength(1);
    });
  });

  describe('lookup', () => {
    it('says whether an identified account holds a number, and nothing about others', async () => {
      t = await TestServer.start(dialect);
      const a = await identifiedUser(t, '+79001230030');
      const pending = await t.register('+79001230031');
      const b = await identifiedUser(t, '+79001230032');

      const found = await post('/v1/users/lookup', { phoneNumber: '+79001230030' }, b.token);
      expect(found.status).toBe(200);
      expect(Value.Check(LookupResult, found.body)).toBe(true);
      expect(found.body).toEqual({ phoneNumber: '+79001230030', exists: true, accountId: a.accountId });

      const notIdentified = await post('/v1/users/lookup', { phoneNumber: '+79001230031' }, b.token);
      expect(notIdentified.body).toEqual({ phoneNumber: '+79001230031', exists: false, accountId: null });
      expect(JSON.stringify(notIdentified.body)).not.toContain(pending.accountId);

      const nobody = await post('/v1/users/lookup', { phoneNumber: '+79001230039' }, b.token);
      expect(nobody.body).toEqual({ phoneNumber: '+79001230039', exists: false, accountId: null });

      // A suspended account is not found either.
      await setState(t, a.accountId, 'suspended');
      expect((await post('/v1/users/lookup', { phoneNumber: '+79001230030' }, b.token)).body.exists).toBe(false);
    });

    it('limits lookups per account with 429 and Retry-After', async () => {
      t = await TestServer.start(dialect, { env: { SIGNET_LIMIT_LOOKUP_ACCOUNT: '3/1h' } });
      const a = await identifiedUser(t, '+79001230033');
      const b = await identifiedUser(t, '+79001230034');
      for (let i = 0; i < 3; i++) {
        expect((await post('/v1/users/lookup', { phoneNumber: `+7900123004${i}` }, a.token)).status).toBe(200);
      }
      const limited = await post('/v1/users/lookup', { phoneNumber: '+79001230049' }, a.token);
      expect(limited.status).toBe(429);
      const retryAfter = Number(limited.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(3600);
      expect(limited.body).not.toHaveProperty('exists');

      // Another account has its own allowance; the limited one gets more as time passes.
      expect((await post('/v1/users/lookup', { phoneNumber: '+79001230049' }, b.token)).status).toBe(200);
      t.clock.advance(retryAfter * 1000);
      expect((await post('/v1/users/lookup', { phoneNumber: '+79001230049' }, a.token)).status).toBe(200);
    });
  });
});
