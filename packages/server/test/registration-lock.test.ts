import * as opaque from '@serenity-kit/opaque';
import { DAY, HOUR, MINUTE, SECOND, testDialects } from '@signet/common';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TestServer } from './harness';
import { TestSocket } from './ws-client';

const PHONE = '+79001234567';
const PASSWORD = 'correct horse battery';

describe.each(testDialects())('registration lock (%s)', (dialect) => {
  let t: TestServer;
  const sockets: TestSocket[] = [];
  beforeEach(async () => {
    t = await TestServer.start(dialect);
  });
  afterEach(async () => {
    for (const s of sockets.splice(0)) s.close();
    await t.close();
  });

  const connect = async (token: string) => {
    const socket = await TestSocket.open(t.url, token);
    sockets.push(socket);
    return socket;
  };
  const account = (id: string) =>
    t.ctx.db.db.selectFrom('accounts').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const failures = async (accountId: string) =>
    (await t.ctx.db.db.selectFrom('password_failures').select('id').where('account_id', '=', accountId).execute())
      .length;
  const registerPlain = async (sessionId: string, extra: Record<string, unknown> = {}) =>
    t.request('POST', '/v1/registration', { verificationSessionId: sessionId, deviceName: 'new phone', ...extra });

  /** The whole database as text, to look for what must never be stored. */
  async function dump(): Promise<string> {
    const db = t.ctx.db.db;
    const tables = ['accounts', 'devices', 'password_logins', 'password_failures', 'account_events'] as const;
    const rows = await Promise.all(tables.map((name) => db.selectFrom(name).selectAll().execute()));
    return JSON.stringify(rows);
  }

  it('sets, changes and removes the password, storing only the OPAQUE record', async () => {
    const owner = await t.register(PHONE);
    const me = () => t.request('GET', '/v1/account', undefined, owner.token);
    expect((await me()).body.hasPassword).toBe(false);

    await t.setPassword(owner.token, PASSWORD);
    expect((await me()).body.hasPassword).toBe(true);
    const first = (await account(owner.accountId)).password_record;
    expect(first).toMatch(/^[A-Za-z0-9_-]+$/);
    const stored = await dump();
    expect(stored).not.toContain(PASSWORD);
    expect(stored).not.toContain(Buffer.from(PASSWORD).toString('base64url'));
    expect(stored).not.toContain(Buffer.from(PASSWORD).toString('hex'));

    await t.setPassword(owner.token, 'another password');
    const second = (await account(owner.accountId)).password_record;
    expect(second).not.toBe(first);
    expect(await dump()).not.toContain('another password');
    const session = await t.verifiedSession(PHONE);
    expect(await t.passwordProof(session, PASSWORD)).toBeUndefined();
    expect(await t.passwordProof(session, 'another password')).toBeDefined();

    const removed = await t.request('DELETE', '/v1/account/password', undefined, owner.token);
    expect(removed.status).toBe(204);
    expect((await me()).body.hasPassword).toBe(false);
    expect((await account(owner.accountId)).password_record).toBeNull();
    const again = await registerPlain(await t.verifiedSession(PHONE));
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ outcome: 'existing', accountId: owner.accountId });
  });

  it('refuses the number without the password while the lock holds, even for a new account', async () => {
    const owner = await t.register(PHONE);
    await t.setPassword(owner.token, PASSWORD);
    const sessionId = await t.verifiedSession(PHONE);
    for (const extra of [{}, { newAccount: true }]) {
      const res = await registerPlain(sessionId, extra);
      expect(res.status).toBe(423);
      expect(res.body).toMatchObject({
        status: 423,
        code: 'REGISTRATION_LOCKED',
        details: { lockedUntil: t.clock.now() + 7 * DAY, newAccountAllowed: false },
      });
    }
    // A refusal leaves the verified session usable for the attempt with the password.
    const proof = await t.passwordProof(sessionId, PASSWORD);
    const res = await registerPlain(sessionId, { password: proof });
    expect(res.status).toBe(200);
  });

  it('adds a device to the same account with the right password, and does not count it as a failure', async () => {
    const owner = await t.register(PHONE);
    await t.setPassword(owner.token, PASSWORD);
    const socket = await connect(owner.token);

    const res = await t.registerWithPassword(PHONE, PASSWORD);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ outcome: 'existing', accountId: owner.accountId });
    expect(await failures(owner.accountId)).toBe(0);
    const [linked] = await socket.waitForEvents('device.linked');
    expect(linked).toMatchObject({ deviceId: res.body.deviceId, name: 'test device' });
    const devices = await t.request('GET', '/v1/devices', undefined, res.body.token);
    expect(devices.body.devices).toHaveLength(2);
  });

  it('cannot finish a login with a wrong password; each attempt counts and is told to the devices', async () => {
    const owner = await t.register(PHONE);
    await t.setPassword(owner.token, PASSWORD);
    const secondDevice = await t.registerWithPassword(PHONE, PASSWORD);
    expect(secondDevice.body.outcome).toBe('existing');
    const first = await connect(owner.token);
    const second = await connect(secondDevice.body.token);

    const sessionId = await t.verifiedSession(PHONE);
    for (let i = 1; i <= 3; i++) expect(await t.passwordProof(sessionId, `wrong ${i}`)).toBeUndefined();
    expect(await failures(owner.accountId)).toBe(3);
    for (const socket of [first, second]) {
      const events = await socket.waitForEvents('registration_lock.failed_attempt', 3);
      expect(events.map((e) => e.attemptsToday)).toEqual([1, 2, 3]);
    }
    // A made-up last message is refused as a wrong password.
    const started = await t.request('POST', '/v1/registration/password-login', {
      verificationSessionId: sessionId,
      startLoginRequest: opaque.client.startLogin({ password: 'guess' }).startLoginRequest,
    });
    const forged = await registerPlain(sessionId, {
      password: { loginId: started.body.loginId, finishLoginRequest: 'AAAA' },
    });
    expect(forged.status).toBe(422);
    expect(forged.body.code).toBe('WRONG_PASSWORD');
    expect(await failures(owner.accountId)).toBe(4);
  });

  it('accepts a proof only with its own verification session and within five minutes', async () => {
    const owner = await t.register(PHONE);
    await t.setPassword(owner.token, PASSWORD);
    const [s1, s2] = [await t.verifiedSession(PHONE), await t.verifiedSession(PHONE)];
    const elsewhere = await registerPlain(s2, { password: await t.passwordProof(s1, PASSWORD) });
    expect(elsewhere.status).toBe(422);
    expect(elsewhere.body.code).toBe('WRONG_PASSWORD');

    const slow = await t.passwordProof(s2, PASSWORD);
    t.clock.advance(5 * MINUTE + 1);
    const late = await registerPlain(s2, { password: slow });
    expect(late.status).toBe(422);
    expect(late.body.code).toBe('WRONG_PASSWORD');
    const res = await registerPlain(s2, { password: await t.passwordProof(s2, PASSWORD) });
    expect(res.body).toMatchObject({ outcome: 'existing', accountId: owner.accountId });
  });

  it('refuses password logins for a day after ten attempts, even with the right password', async () => {
    const owner = await t.register(PHONE);
    await t.setPassword(owner.token, PASSWORD);
    const socket = await connect(owner.token);
    const sessionId = await t.verifiedSession(PHONE);
    for (let i = 0; i < 5; i++) await t.passwordProof(sessionId, 'wrong');
    t.clock.advance(HOUR);
    for (let i = 0; i < 5; i++) await t.passwordProof(sessionId, 'wrong');
    await socket.waitForEvents('registration_lock.failed_attempt', 10);

    const later = await t.verifiedSession(PHONE);
    const start = () =>
      t.request('POST', '/v1/registration/password-login', {
        verificationSessionId: later,
        startLoginRequest: opaque.client.startLogin({ password: PASSWORD }).startLoginRequest,
      });
    const refused = await start();
    expect(refused.status).toBe(429);
    expect(refused.body.code).toBe('TOO_MANY_REQUESTS');
    // The oldest of the ten attempts leaves the window a day after it was made.
    expect(Number(refused.headers.get('retry-after'))).toBe((DAY - HOUR) / SECOND);
    expect(await failures(owner.accountId)).toBe(10);

    t.clock.advance(DAY - HOUR);
    const res = await t.registerWithPassword(PHONE, PASSWORD);
    expect(res.body).toMatchObject({ outcome: 'existing', accountId: owner.accountId });
  });

  it('keeps the lock while the account is used, and lets it lapse after seven idle days', async () => {
    const owner = await t.register(PHONE);
    await t.setPassword(owner.token, PASSWORD);
    t.clock.advance(6 * DAY);
    expect((await t.request('GET', '/v1/account', undefined, owner.token)).status).toBe(200);
    const activeAt = t.clock.now();

    t.clock.advance(7 * DAY - MINUTE);
    const locked = await registerPlain(await t.verifiedSession(PHONE));
    expect(locked.status).toBe(423);
    expect(locked.body.details).toEqual({ lockedUntil: activeAt + 7 * DAY, newAccountAllowed: false });

    t.clock.advance(MINUTE);
    const lapsed = await registerPlain(await t.verifiedSession(PHONE));
    expect(lapsed.status).toBe(423);
    expect(lapsed.body).toMatchObject({
      code: 'REGISTRATION_LOCKED',
      details: { lockedUntil: null, newAccountAllowed: true },
    });
    // The owner may still prove the password after the lapse.
    const res = await t.registerWithPassword(PHONE, PASSWORD);
    expect(res.body).toMatchObject({ outcome: 'existing', accountId: owner.accountId });
  });

  it('after the lapse, a new account replaces the old one, which is retired with its sessions', async () => {
    const owner = await t.register(PHONE);
    await t.setPassword(owner.token, PASSWORD);
    const socket = await connect(owner.token);
    t.clock.advance(7 * DAY);

    const res = await registerPlain(await t.verifiedSession(PHONE), { newAccount: true });
    expect(res.status).toBe(200);
    expect(res.body.outcome).toBe('replaced');
    expect(res.body.accountId).not.toBe(owner.accountId);
    const old = await account(owner.accountId);
    expect(old).toMatchObject({ state: 'retired', retired_at: t.clock.now() });
    expect((await account(res.body.accountId)).password_record).toBeNull();

    expect((await t.request('GET', '/v1/account', undefined, owner.token)).status).toBe(401);
    expect((await t.request('GET', '/v1/account', undefined, res.body.token)).body.phoneNumber).toBe(PHONE);
    await socket.waitForEvents('account.retired');
    expect((await socket.waitClosed()).code).toBe(4001);
  });

  it('without a password, registering the number again adds a device and tells the other one', async () => {
    const owner = await t.register(PHONE);
    const socket = await connect(owner.token);
    t.clock.advance(30 * DAY);
    const res = await registerPlain(await t.verifiedSession(PHONE));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ outcome: 'existing', accountId: owner.accountId });
    const [linked] = await socket.waitForEvents('device.linked');
    expect(linked).toEqual({
      type: 'device.linked',
      deviceId: res.body.deviceId,
      name: 'new phone',
      at: t.clock.now(),
    });
    expect((await t.request('GET', '/v1/account', undefined, owner.token)).status).toBe(200);

    const login = await t.request('POST', '/v1/registration/password-login', {
      verificationSessionId: await t.verifiedSession(PHONE),
      startLoginRequest: opaque.client.startLogin({ password: PASSWORD }).startLoginRequest,
    });
    expect(login.status).toBe(409);
  });

  it('replaces at once an account suspended after its contract ended', async () => {
    const owner = await t.register(PHONE);
    await t.ctx.db.db
      .updateTable('accounts')
      .set({ state: 'suspended', suspended_reason: 'contract_terminated' })
      .where('id', '=', owner.accountId)
      .execute();
    const res = await registerPlain(await t.verifiedSession(PHONE));
    expect(res.status).toBe(200);
    expect(res.body.outcome).toBe('replaced');
    expect(res.body.accountId).not.toBe(owner.accountId);
    expect((await account(owner.accountId)).state).toBe('retired');
    expect((await t.request('GET', '/v1/account', undefined, owner.token)).status).toBe(401);
  });

  it('does not let the password keep out the new holder of a number whose contract ended', async () => {
    const owner = await t.register(PHONE);
    await t.setPassword(owner.token, PASSWORD);
    await t.ctx.db.db
      .updateTable('accounts')
      .set({ state: 'suspended', suspended_reason: 'contract_terminated' })
      .where('id', '=', owner.accountId)
      .execute();
    const sessionId = await t.verifiedSession(PHONE);
    const asked = await registerPlain(sessionId);
    expect(asked.status).toBe(423);
    expect(asked.body.details).toEqual({ lockedUntil: null, newAccountAllowed: true });
    const res = await registerPlain(sessionId, { newAccount: true });
    expect(res.body.outcome).toBe('replaced');
  });
});
