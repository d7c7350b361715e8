import { testDialects } from '@signet/common';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TestServer } from './harness';
import { refusedUpgrade, settle, TestSocket } from './ws-client';

const PHONE = '+79001234567';

describe.each(testDialects())('sessions and devices (%s)', (dialect) => {
  let t: TestServer;
  const sockets: TestSocket[] = [];
  beforeEach(async () => {
    t = await TestServer.start(dialect);
  });
  afterEach(async () => {
    for (const s of sockets.splice(0)) s.close();
    await t.close();
  });

  const connect = async (token: string, via: 'header' | 'protocol' = 'header') => {
    const socket = await TestSocket.open(t.url, token, via);
    sockets.push(socket);
    return socket;
  };
  const get = (path: string, token: string) => t.request('GET', path, undefined, token);
  const del = (path: string, token: string) => t.request('DELETE', path, undefined, token);

  /** One account with three devices. */
  async function threeDevices() {
    const a = await t.register(PHONE);
    const b = await t.register(PHONE);
    const c = await t.register(PHONE);
    return [a, b, c] as const;
  }

  it('lists the devices of the account and marks the one that asks', async () => {
    const [a, b] = await threeDevices();
    const other = await t.register('+79001234599');
    const res = await get('/v1/devices', b.token);
    expect(res.status).toBe(200);
    expect(res.body.devices).toHaveLength(3);
    expect(res.body.devices.filter((d: { current: boolean }) => d.current).map((d: { id: string }) => d.id)).toEqual([
      b.deviceId,
    ]);
    expect(res.body.devices.map((d: { id: string }) => d.id)).toContain(a.deviceId);
    expect(res.body.devices.map((d: { id: string }) => d.id)).not.toContain(other.deviceId);
    expect(res.body.devices[0]).toMatchObject({ name: 'test device', createdAt: t.clock.now() });
  });

  it('revokes another device: its token stops working, its socket closes, the others are told', async () => {
    const [a, b, c] = await threeDevices();
    const [sa, sb, sc] = [await connect(a.token), await connect(b.token), await connect(c.token, 'protocol')];

    const res = await del(`/v1/devices/${b.deviceId}`, a.token);
    expect(res.status).toBe(204);
    expect((await get('/v1/account', b.token)).status).toBe(401);
    expect(await sb.waitClosed()).toEqual({ code: 4001, reason: 'device revoked' });
    for (const s of [sa, sc]) {
      const [revoked] = await s.waitForEvents('device.revoked');
      expect(revoked).toEqual({ type: 'device.revoked', deviceId: b.deviceId, at: t.clock.now() });
      expect(s.isOpen).toBe(true);
    }
    const left = await get('/v1/devices', c.token);
    expect(left.body.devices.map((d: { id: string }) => d.id).sort()).toEqual([a.deviceId, c.deviceId].sort());
    expect((await get('/v1/account', a.token)).status).toBe(200);
  });

  it("cannot revoke another account's device, nor a device twice", async () => {
    const mine = await t.register(PHONE);
    const theirs = await t.register('+79001234599');
    const res = await del(`/v1/devices/${theirs.deviceId}`, mine.token);
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('NOT_FOUND');
    expect((await get('/v1/account', theirs.token)).status).toBe(200);

    const second = await t.register(PHONE);
    expect((await del(`/v1/devices/${second.deviceId}`, mine.token)).status).toBe(204);
    expect((await del(`/v1/devices/${second.deviceId}`, mine.token)).status).toBe(404);
  });

  it('logs out: the own token stops working and the other devices are told', async () => {
    const [a, b] = await threeDevices();
    const sa = await connect(a.token);
    const sb = await connect(b.token);
    const res = await del('/v1/session', b.token);
    expect(res.status).toBe(204);
    expect((await get('/v1/account', b.token)).status).toBe(401);
    expect((await del('/v1/session', b.token)).status).toBe(401);
    expect((await sb.waitClosed()).code).toBe(4001);
    expect((await sa.waitForEvents('device.revoked'))[0]?.deviceId).toBe(b.deviceId);
    expect((await get('/v1/devices', a.token)).body.devices).toHaveLength(2);
  });

  it('deletes the account with its devices; the number can then start afresh', async () => {
    const [a, b] = await threeDevices();
    const sb = await connect(b.token);
    const res = await del('/v1/account', a.token);
    expect(res.status).toBe(204);
    expect(res.text).toBe('');
    for (const token of [a.token, b.token]) expect((await get('/v1/account', token)).status).toBe(401);
    expect((await sb.waitClosed()).code).toBe(4001);

    const db = t.ctx.db.db;
    expect(await db.selectFrom('accounts').selectAll().where('id', '=', a.accountId).execute()).toEqual([]);
    expect(await db.selectFrom('devices').selectAll().where('account_id', '=', a.accountId).execute()).toEqual([]);

    const again = await t.register(PHONE);
    expect(again.outcome).toBe('created');
    expect(again.accountId).not.toBe(a.accountId);
  });

  it('deletes an account with a password and pending logins', async () => {
    const owner = await t.register(PHONE);
    await t.setPassword(owner.token, 'correct horse battery');
    const sessionId = await t.verifiedSession(PHONE);
    expect(await t.passwordProof(sessionId, 'wrong')).toBeUndefined();
    expect((await del('/v1/account', owner.token)).status).toBe(204);
    const db = t.ctx.db.db;
    expect(await db.selectFrom('password_logins').selectAll().execute()).toEqual([]);
    expect(await db.selectFrom('password_failures').selectAll().execute()).toEqual([]);
    const res = await t.request('POST', '/v1/registration', { verificationSessionId: sessionId, deviceName: 'd' });
    expect(res.body.outcome).toBe('created');
  });

  it('refuses a WebSocket upgrade without a valid token, with the error shape', async () => {
    const { token } = await t.register(PHONE);
    const missing = await refusedUpgrade(t.url);
    expect(missing).toEqual({ status: 401, body: expect.objectContaining({ status: 401, code: 'UNAUTHENTICATED' }) });
    const unknown = 'x'.repeat(43);
    expect((await refusedUpgrade(t.url, { headers: { authorization: `Bearer ${unknown}` } })).status).toBe(401);
    expect((await refusedUpgrade(t.url, { protocols: ['signet.v1', `bearer.${unknown}`] })).status).toBe(401);
    expect((await refusedUpgrade(t.url, { headers: { authorization: 'Bearer not a token!' } })).status).toBe(401);
    expect((await refusedUpgrade(t.url, { path: '/v1/elsewhere' })).status).toBe(404);

    // The same token that the upgrade accepts stops being accepted once the device logs out.
    const socket = await connect(token);
    await del('/v1/session', token);
    await socket.waitClosed();
    expect((await refusedUpgrade(t.url, { headers: { authorization: `Bearer ${token}` } })).status).toBe(401);
  });

  it('answers 401 on every device route without a valid token', async () => {
    await t.register(PHONE);
    for (const [method, path] of [
      ['GET', '/v1/account'],
      ['DELETE', '/v1/account'],
      ['GET', '/v1/devices'],
      ['DELETE', '/v1/devices/dv_x'],
      ['DELETE', '/v1/session'],
      ['DELETE', '/v1/account/password'],
    ] as const) {
      const res = await t.request(method, path, undefined, 'y'.repeat(43));
      expect(res.status, `${method} ${path}`).toBe(401);
      expect(res.body).toMatchObject({ status: 401, code: 'UNAUTHENTICATED' });
    }
  });

  it('leaves other accounts alone when one is deleted', async () => {
    const mine = await t.register(PHONE);
    const theirs = await t.register('+79001234599');
    const socket = await connect(theirs.token);
    expect((await del('/v1/account', mine.token)).status).toBe(204);
    await settle();
    expect(socket.isOpen).toBe(true);
    expect(socket.events()).toEqual([]);
    expect((await get('/v1/account', theirs.token)).body.accountId).toBe(theirs.accountId);
  });
});
