import { MINUTE, SECOND, testDialects } from '@signet/common';
import { afterEach, describe, expect, it } from 'vitest';
import { type ApiResponse, TestServer } from './harness';

/** A Russian mobile number of the +7900 range, distinct for each `i`. */
const number = (i: number) => `+7900${String(i).padStart(7, '0')}`;

/** Checks a refusal by the named limiter and returns its Retry-After in seconds. */
function expectLimited(res: ApiResponse, limiter: string): number {
  expect(res.status).toBe(429);
  expect(res.body).toMatchObject({ status: 429, code: 'TOO_MANY_REQUESTS' });
  expect(res.body.message).toContain(`(${limiter})`);
  const retryAfter = Number(res.headers.get('retry-after'));
  expect(Number.isInteger(retryAfter) && retryAfter > 0).toBe(true);
  expect(res.body.details).toEqual({ retryAfterSeconds: retryAfter });
  return retryAfter;
}

describe.each(testDialects())('rate limits on registration (%s)', (dialect) => {
  let t: TestServer;
  afterEach(async () => {
    await t.close();
  });

  const startSession = (phoneNumber: string) => t.request('POST', '/v1/verification/sessions', { phoneNumber });
  const guess = (sessionId: string, code: string) =>
    t.request('POST', `/v1/verification/sessions/${sessionId}/verify`, { code });
  const wrong = (code: string) => (code === '000000' ? '111111' : '000000');

  /** Moves the clock to just before Retry-After (still refused), then to it (allowed again). */
  async function expectRecovery(retryAfter: number, limiter: string, attempt: () => Promise<ApiResponse>) {
    t.clock.advance((retryAfter - 1) * SECOND);
    expectLimited(await attempt(), limiter);
    t.clock.advance(SECOND);
    const res = await attempt();
    expect(res.status).toBeLessThan(300);
    return res;
  }

  it('sms-number: six codes an hour to one number by default, then 429 for ten minutes', async () => {
    t = await TestServer.start(dialect);
    for (let i = 0; i < 6; i++) expect((await startSession(number(1))).status).toBe(201);
    const retryAfter = expectLimited(await startSession(number(1)), 'sms-number');
    expect(retryAfter).toBe(600);
    expect(t.sms.list(number(1))).toHaveLength(6);
    // Another number is not affected.
    expect((await startSession(number(2))).status).toBe(201);
    await expectRecovery(retryAfter, 'sms-number', () => startSession(number(1)));
    expect(t.sms.list(number(1))).toHaveLength(7);
  });

  it('sms-number: a lowered limit from the configuration counts resends too', async () => {
    t = await TestServer.start(dialect, { env: { SIGNET_LIMIT_SMS_NUMBER: '2/1h' } });
    const first = await startSession(number(1));
    t.clock.advance(MINUTE);
    const resend = await t.request('POST', `/v1/verification/sessions/${first.body.id}/resend`);
    expect(resend.status).toBe(200);
    const retryAfter = expectLimited(await startSession(number(1)), 'sms-number');
    expect(retryAfter).toBe(30 * 60 - 60);
    await expectRecovery(retryAfter, 'sms-number', () => startSession(number(1)));
  });

  it('sms-address: twenty codes an hour from one address by default', async () => {
    t = await TestServer.start(dialect);
    for (let i = 0; i < 20; i++) expect((await startSession(number(i))).status).toBe(201);
    const retryAfter = expectLimited(await startSession(number(20)), 'sms-address');
    expect(retryAfter).toBe(180);
    expect(t.sms.list(number(20))).toHaveLength(0);
    await expectRecovery(retryAfter, 'sms-address', () => startSession(number(21)));
  });

  it('sms-prefix: codes into one number range are limited, other ranges are not', async () => {
    t = await TestServer.start(dialect, { env: { SIGNET_LIMIT_SMS_PREFIX: '3/1h' } });
    for (const n of ['+79001234501', '+79001234502', '+79001234503']) expect((await startSession(n)).status).toBe(201);
    const retryAfter = expectLimited(await startSession('+79001234504'), 'sms-prefix');
    expect(retryAfter).toBe(20 * 60);
    expect((await startSession('+79011234504')).status).toBe(201);
    await expectRecovery(retryAfter, 'sms-prefix', () => startSession('+79001234505'));
  });

  it('code-check-number: fifteen guesses an hour for one number, across sessions', async () => {
    t = await TestServer.start(dialect);
    for (let s = 0; s < 3; s++) {
      const { sessionId, code } = await t.startVerification(number(1));
      for (let g = 0; g < 5; g++) expect((await guess(sessionId, wrong(code))).status).toBe(422);
    }
    const { sessionId, code } = await t.startVerification(number(1));
    // Even the right code is a guess once the limit is reached; the refused guess costs the session nothing.
    const retryAfter = expectLimited(await guess(sessionId, code), 'code-check-number');
    expect(retryAfter).toBe(240);
    const other = await t.startVerification(number(2));
    expect((await guess(other.sessionId, other.code)).status).toBe(200);
    const ok = await expectRecovery(retryAfter, 'code-check-number', () => guess(sessionId, code));
    expect(ok.body).toMatchObject({ verified: true, attemptsLeft: 4 });
  });

  it('code-check-address: sixty guesses an hour from one address by default', async () => {
    t = await TestServer.start(dialect);
    for (let n = 0; n < 12; n++) {
      const { sessionId, code } = await t.startVerification(number(n));
      for (let g = 0; g < 5; g++) expect((await guess(sessionId, wrong(code))).status).toBe(422);
    }
    const { sessionId, code } = await t.startVerification(number(12));
    const retryAfter = expectLimited(await guess(sessionId, code), 'code-check-address');
    expect(retryAfter).toBe(60);
    await expectRecovery(retryAfter, 'code-check-address', () => guess(sessionId, code));
  });

  it('registration-address: registrations and password logins from one address share the limit', async () => {
    t = await TestServer.start(dialect, { env: { SIGNET_LIMIT_REGISTRATION_ADDRESS: '3/1h' } });
    await t.register(number(1));
    const owner = await t.register(number(2));
    await t.setPassword(owner.token, 'correct horse');
    const locked = await t.verifiedSession(number(2));
    expect(await t.passwordProof(locked, 'correct horse')).toBeDefined();

    const sessionId = await t.verifiedSession(number(3));
    const register = () =>
      t.request('POST', '/v1/registration', { verificationSessionId: sessionId, deviceName: 'phone' });
    const retryAfter = expectLimited(await register(), 'registration-address');
    expect(retryAfter).toBe(20 * 60);
    // The refusal did not use up the verified session: it still registers once the limit allows.
    const res = await expectRecovery(retryAfter, 'registration-address', register);
    expect(res.body.outcome).toBe('created');
  });

  it('refuses a limit that cannot be read from the configuration', async () => {
    await expect(TestServer.start(dialect, { env: { SIGNET_LIMIT_SMS_NUMBER: 'many' } })).rejects.toThrow(
      /SIGNET_LIMIT_SMS_NUMBER/,
    );
    t = await TestServer.start(dialect);
  });
});

describe.each(testDialects())('allow-list of countries and prefixes (%s)', (dialect) => {
  let t: TestServer;
  afterEach(async () => {
    await t.close();
  });

  const startSession = (phoneNumber: string) => t.request('POST', '/v1/verification/sessions', { phoneNumber });

  function expectRefused(res: ApiResponse) {
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ status: 400, code: 'COUNTRY_NOT_ALLOWED' });
  }

  it('accepts only numbers of the allowed countries, even within a shared country code', async () => {
    t = await TestServer.start(dialect, { env: { SIGNET_ALLOWED_COUNTRIES: 'ru' } });
    expect((await startSession('+79001234567')).status).toBe(201);
    expectRefused(await startSession('+4915123456789'));
    // Kazakhstan shares +7 with Russia.
    expectRefused(await startSession('+77012345678'));
    expect(t.sms.list()).toHaveLength(1);
  });

  it('accepts only numbers under the allowed prefixes', async () => {
    t = await TestServer.start(dialect, { env: { SIGNET_ALLOWED_PREFIXES: '+7900,+1202' } });
    expect((await startSession('+79001234567')).status).toBe(201);
    expect((await startSession('+12025550123')).status).toBe(201);
    expectRefused(await startSession('+79161234567'));
    expectRefused(await startSession('+12015550123'));
  });

  it('needs both lists to agree when both are set', async () => {
    t = await TestServer.start(dialect, {
      env: { SIGNET_ALLOWED_COUNTRIES: 'RU', SIGNET_ALLOWED_PREFIXES: '+7' },
    });
    expect((await startSession('+79001234567')).status).toBe(201);
    expectRefused(await startSession('+77012345678'));
  });

  it('does not let refused numbers use up the SMS limits', async () => {
    t = await TestServer.start(dialect, {
      env: { SIGNET_ALLOWED_COUNTRIES: 'RU', SIGNET_LIMIT_SMS_ADDRESS: '1/1h' },
    });
    for (let i = 0; i < 3; i++) expectRefused(await startSession('+4915123456789'));
    expect((await startSession('+79001234567')).status).toBe(201);
  });
});
