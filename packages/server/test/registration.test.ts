import { MINUTE, testDialects } from '@signet/common';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TestServer } from './harness';

describe.each(testDialects())('registration by phone number (%s)', (dialect) => {
  let t: TestServer;
  beforeEach(async () => {
    t = await TestServer.start(dialect);
  });
  afterEach(async () => {
    await t.close();
  });

  it('normalises the number, sends a 6-digit code and registers with it', async () => {
    const start = await t.request('POST', '/v1/verification/sessions', { phoneNumber: '8 (900) 123-45-67' });
    expect(start.status).toBe(201);
    expect(start.body.phoneNumber).toBe('+79001234567');
    expect(start.body.verified).toBe(false);
    const code = t.sms.lastCode('+79001234567');
    expect(code).toMatch(/^\d{6}$/);

    const verify = await t.request('POST', `/v1/verification/sessions/${start.body.id}/verify`, { code });
    expect(verify.status).toBe(200);
    expect(verify.body.verified).toBe(true);

    const reg = await t.request('POST', '/v1/registration', {
      verificationSessionId: start.body.id,
      deviceName: 'laptop',
    });
    expect(reg.status).toBe(200);
    expect(reg.body.outcome).toBe('created');
    // No operator is configured in this test, so identification fails at once (spec section 5).
    expect(reg.body.state).toBe('failed');
    expect(reg.body.token).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const me = await t.request('GET', '/v1/account', undefined, reg.body.token);
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ accountId: reg.body.accountId, phoneNumber: '+79001234567', hasPassword: false });
  });

  it('stores the session token only as a hash and the code only as an HMAC', async () => {
    const { sessionId, code } = await t.startVerification('+79001234568');
    const row = await t.ctx.db.db
      .selectFrom('verification_sessions')
      .selectAll()
      .where('id', '=', sessionId)
      .executeTakeFirstOrThrow();
    expect(row.code_hash).not.toContain(code);
    await t.request('POST', `/v1/verification/sessions/${sessionId}/verify`, { code });
    const reg = await t.request('POST', '/v1/registration', { verificationSessionId: sessionId, deviceName: 'd' });
    const devices = await t.ctx.db.db.selectFrom('devices').selectAll().execute();
    expect(devices).toHaveLength(1);
    expect(JSON.stringify(devices)).not.toContain(reg.body.token);
  });

  it('rejects an invalid number with a clear 400', async () => {
    const res = await t.request('POST', '/v1/verification/sessions', { phoneNumber: '12345' });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('INVALID_PHONE_NUMBER');
  });

  it('counts wrong codes and ends the session after five', async () => {
    const { sessionId, code } = await t.startVerification('+79001234569');
    const wrong = code === '000000' ? '111111' : '000000';
    for (let left = 4; left >= 0; left--) {
      const res = await t.request('POST', `/v1/verification/sessions/${sessionId}/verify`, { code: wrong });
      expect(res.status).toBe(422);
      expect(res.body).toMatchObject({ code: 'WRONG_CODE', details: { attemptsLeft: left } });
    }
    const sixth = await t.request('POST', `/v1/verification/sessions/${sessionId}/verify`, { code });
    expect(sixth.status).toBe(403);
    expect(sixth.body.code).toBe('TOO_MANY_ATTEMPTS');
  });

  it('expires a code after ten minutes', async () => {
    const { sessionId, code } = await t.startVerification('+79001234570');
    t.clock.advance(10 * MINUTE + 1);
    const res = await t.request('POST', `/v1/verification/sessions/${sessionId}/verify`, { code });
    expect(res.status).toBe(410);
    expect(res.body.code).toBe('CODE_EXPIRED');
  });

  it('makes resends wait 1, 2, 5 and 10 minutes, five codes at most', async () => {
    const { sessionId } = await t.startVerification('+79001234571');
    const resend = () => t.request('POST', `/v1/verification/sessions/${sessionId}/resend`);
    for (const waitMinutes of [1, 2, 5, 10]) {
      const early = await resend();
      expect(early.status).toBe(429);
      expect(early.body.code).toBe('RESEND_TOO_EARLY');
      expect(Number(early.headers.get('retry-after'))).toBe(waitMinutes * 60);
      t.clock.advance(waitMinutes * MINUTE);
      const ok = await resend();
      expect(ok.status).toBe(200);
    }
    const last = await resend();
    expect(last.status).toBe(429);
    expect(last.body.code).toBe('TOO_MANY_ATTEMPTS');
    expect(t.sms.list('+79001234571')).toHaveLength(5);
  });

  it('accepts only the newest code after a resend', async () => {
    const { sessionId, code: first } = await t.startVerification('+79001234572');
    t.clock.advance(MINUTE);
    await t.request('POST', `/v1/verification/sessions/${sessionId}/resend`);
    const second = t.sms.lastCode('+79001234572');
    if (first !== second) {
      const old = await t.request('POST', `/v1/verification/sessions/${sessionId}/verify`, { code: first });
      expect(old.status).toBe(422);
    }
    const ok = await t.request('POST', `/v1/verification/sessions/${sessionId}/verify`, { code: second });
    expect(ok.status).toBe(200);
  });

  it('refuses registration before the code is verified, and uses a session once', async () => {
    const { sessionId, code } = await t.startVerification('+79001234573');
    const early = await t.request('POST', '/v1/registration', { verificationSessionId: sessionId, deviceName: 'd' });
    expect(early.status).toBe(403);
    expect(early.body.code).toBe('NOT_VERIFIED');
    await t.request('POST', `/v1/verification/sessions/${sessionId}/verify`, { code });
    const first = await t.request('POST', '/v1/registration', { verificationSessionId: sessionId, deviceName: 'd' });
    expect(first.status).toBe(200);
    const again = await t.request('POST', '/v1/registration', { verificationSessionId: sessionId, deviceName: 'd' });
    expect(again.status).toBe(410);
  });
});
