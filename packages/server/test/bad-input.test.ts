import { testDialects } from '@signet/common';
import { ErrorBody } from '@signet/protocol';
import fc from 'fast-check';
import { Value } from 'typebox/value';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type ApiResponse, TestServer } from './harness';

const RUNS = 150;
const HIGH_LIMITS = {
  SIGNET_LIMIT_SMS_NUMBER: '100000/1h',
  SIGNET_LIMIT_SMS_ADDRESS: '100000/1h',
  SIGNET_LIMIT_SMS_PREFIX: '100000/1h',
  SIGNET_LIMIT_CODE_CHECK_NUMBER: '100000/1h',
  SIGNET_LIMIT_CODE_CHECK_ADDRESS: '100000/1h',
  SIGNET_LIMIT_REGISTRATION_ADDRESS: '100000/1h',
};

/** Checks the one error shape: `{ status, code, message }` with the HTTP status, code in UPPER_SNAKE. */
function expectErrorShape(res: ApiResponse, status?: number): void {
  if (status !== undefined) expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  expect(Value.Check(ErrorBody, res.body), res.text).toBe(true);
  expect(res.body.status).toBe(res.status);
  expect(res.body.code).toMatch(/^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$/);
  expect(res.body.message.length).toBeGreaterThan(0);
}

/** A refusal: a 4xx in the error shape, never a 5xx. */
function expectRefusal(res: ApiResponse): void {
  expect(res.status, res.text).toBeGreaterThanOrEqual(400);
  expect(res.status, res.text).toBeLessThan(500);
  expectErrorShape(res);
}

/** Values of the wrong kind, or of the right kind made wrong. */
const weird = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.double(),
  fc.array(fc.jsonValue(), { maxLength: 5 }),
  fc.dictionary(fc.string(), fc.jsonValue(), { maxKeys: 5 }),
  fc.string({ unit: 'binary' }),
  fc.string({ unit: 'grapheme', minLength: 65, maxLength: 300 }),
  fc.string({ minLength: 1, maxLength: 8 }).map((s) => s.repeat(20_000).slice(0, 60_000)),
  fc.constantFrom('', '\u0000', 'a\u0000b', '\ud800', '\udfff\ud800', '\u202e', '🙂'.repeat(40), '../../etc', '{}'),
);

/** A valid body with one thing broken: a field of the wrong kind, a field missing, an extra field, or a wrapper. */
function mutated(valid: Record<string, unknown>): fc.Arbitrary<unknown> {
  const keys = Object.keys(valid);
  return fc.oneof(
    fc.tuple(fc.constantFrom(...keys), weird).map(([k, v]) => ({ ...valid, [k]: v })),
    fc.constantFrom(...keys).map((k) => Object.fromEntries(Object.entries(valid).filter(([key]) => key !== k))),
    fc
      .tuple(
        fc.string({ minLength: 1 }).filter((k) => !keys.includes(k)),
        fc.jsonValue(),
      )
      .map(([k, v]) => ({ ...valid, [k]: v })),
    fc.constantFrom([valid], null, JSON.stringify(valid), { body: valid }),
  );
}

describe.each(testDialects())('bad input never breaks the server (%s)', (dialect) => {
  let t: TestServer;
  let unverified: string;
  let lockedSession: string;
  beforeAll(async () => {
    t = await TestServer.start(dialect, { env: HIGH_LIMITS });
    unverified = (await t.startVerification('+79001234500')).sessionId;
    // A password-protected number: no registration for it can succeed without the password.
    const owner = await t.register('+79001234501');
    await t.setPassword(owner.token, 'correct horse battery');
    lockedSession = await t.verifiedSession('+79001234501');
  });
  afterAll(async () => {
    await t.close();
  });

  const post = (path: string, value: unknown) => t.request('POST', path, JSON.stringify(value));
  const endpoints = () => [
    { path: '/v1/verification/sessions', valid: { phoneNumber: '+79001234502' } },
    { path: `/v1/verification/sessions/${unverified}/verify`, valid: { code: '123456' } },
    {
      path: '/v1/registration',
      valid: {
        verificationSessionId: lockedSession,
        deviceName: 'phone',
        password: { loginId: 'pl_x', finishLoginRequest: 'AAAA' },
        newAccount: true,
      },
    },
    {
      path: '/v1/registration/password-login',
      valid: { verificationSessionId: lockedSession, startLoginRequest: 'A'.repeat(128) },
    },
  ];

  it('answers random JSON with a 4xx in the error shape', async () => {
    for (const { path } of endpoints()) {
      await fc.assert(
        fc.asyncProperty(fc.jsonValue(), async (value) => expectRefusal(await post(path, value))),
        { numRuns: RUNS },
      );
    }
  });

  it('answers broken versions of valid bodies with a 4xx in the error shape', async () => {
    for (const { path, valid } of endpoints()) {
      await fc.assert(
        fc.asyncProperty(mutated(valid), async (value) => expectRefusal(await post(path, value))),
        { numRuns: RUNS },
      );
    }
  });

  it('answers unknown verification session ids in the path with a 4xx', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'binary', minLength: 1 }), async (id) => {
        expectRefusal(await post(`/v1/verification/sessions/${encodeURIComponent(id)}/verify`, { code: '123456' }));
      }),
      { numRuns: RUNS },
    );
  });

  it('refuses device names with control characters or unpaired surrogates, leaving the session usable', async () => {
    const sessionId = await t.verifiedSession('+79021234567');
    for (const deviceName of ['my\u0000phone', 'line\nbreak', '\ud800']) {
      const res = await post('/v1/registration', { verificationSessionId: sessionId, deviceName });
      expectErrorShape(res, 400);
      expect(res.body.code).toBe('INVALID_ARGUMENT');
    }
    const res = await post('/v1/registration', { verificationSessionId: sessionId, deviceName: 'Мой телефон 📱' });
    expect(res.status).toBe(200);
  });

  it('stores any device name it accepts exactly, and refuses the rest with a 4xx', async () => {
    const names = fc.oneof(
      fc.string({ unit: 'binary', minLength: 1, maxLength: 64 }),
      fc.string({ unit: 'grapheme', minLength: 1, maxLength: 64 }),
      fc.constantFrom('\u0000', 'my\u0000phone', '\t', 'a\u0085', '\ud800', 'x\udc00y', '\u202ephone', ' '),
    );
    let n = 0;
    await fc.assert(
      fc.asyncProperty(names, async (deviceName) => {
        const sessionId = await t.verifiedSession(`+7901${String(n++).padStart(7, '0')}`);
        const res = await post('/v1/registration', { verificationSessionId: sessionId, deviceName });
        if (res.status !== 200) return expectRefusal(res);
        const devices = await t.request('GET', '/v1/devices', undefined, res.body.token);
        expect(devices.body.devices[0].name).toBe(deviceName);
      }),
      { numRuns: 60 },
    );
  });
});

describe.each(testDialects())('transport errors and service endpoints (%s)', (dialect) => {
  let t: TestServer;
  afterEach(async () => {
    await t.close();
  });

  const send = async (path: string, body: string, contentType: string) => {
    const res = await fetch(t.url + path, { method: 'POST', headers: { 'content-type': contentType }, body });
    const text = await res.text();
    return { status: res.status, headers: res.headers, text, body: JSON.parse(text) } as ApiResponse;
  };

  it('refuses malformed JSON, oversized bodies and other content types in the error shape', async () => {
    t = await TestServer.start(dialect);
    expectErrorShape(await send('/v1/verification/sessions', '{"phoneNumber":', 'application/json'), 400);
    expect((await send('/v1/registration', '{"a":1,}', 'application/json')).body.code).toBe('INVALID_ARGUMENT');
    expect((await send('/v1/registration', '', 'application/json')).body.code).toBe('INVALID_ARGUMENT');

    const big = JSON.stringify({ phoneNumber: 'x'.repeat(64 * 1024) });
    const tooLarge = await send('/v1/verification/sessions', big, 'application/json');
    expectErrorShape(tooLarge, 413);
    expect(tooLarge.body.code).toBe('TOO_LARGE');

    const text = await send('/v1/verification/sessions', 'phoneNumber=+79001234567', 'text/plain');
    expectErrorShape(text, 415);
    expect(text.body.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    const form = await send('/v1/registration', 'a=b', 'application/x-www-form-urlencoded');
    expectErrorShape(form, 415);
  });

  it('honours a lowered body limit', async () => {
    t = await TestServer.start(dialect, { env: { SIGNET_BODY_LIMIT: '1kb' } });
    const res = await send(
      '/v1/verification/sessions',
      JSON.stringify({ phoneNumber: 'x'.repeat(1100) }),
      'application/json',
    );
    expectErrorShape(res, 413);
  });

  it('answers unknown routes with 404 in the error shape', async () => {
    t = await TestServer.start(dialect);
    for (const [method, path] of [
      ['GET', '/nowhere'],
      ['POST', '/v1/registrations'],
      ['GET', '/v1/registration'],
      ['DELETE', '/v1/verification/sessions'],
    ] as const) {
      const res = await t.request(method, path);
      expectErrorShape(res, 404);
      expect(res.body.code).toBe('NOT_FOUND');
    }
  });

  it('describes the registration API in OpenAPI and exposes request metrics', async () => {
    t = await TestServer.start(dialect);
    const doc = await t.request('GET', '/openapi.json');
    expect(doc.status).toBe(200);
    expect(doc.body.openapi).toBe('3.1.0');
    const paths = Object.keys(doc.body.paths);
    for (const path of [
      '/v1/verification/sessions',
      '/v1/verification/sessions/{sessionId}/verify',
      '/v1/verification/sessions/{sessionId}/resend',
      '/v1/registration',
      '/v1/registration/password-login',
      '/v1/account/password',
      '/v1/devices/{deviceId}',
    ]) {
      expect(paths).toContain(path);
    }
    expect(paths).not.toContain('/v1/dev/sms');
    expect(doc.body.paths['/v1/registration'].post.requestBody).toBeDefined();

    await t.request('POST', '/v1/verification/sessions', { phoneNumber: '12345' });
    const metrics = await t.request('GET', '/metrics');
    expect(metrics.status).toBe(200);
    expect(metrics.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(metrics.text).toMatch(
      /signet_http_request_duration_seconds_count\{method="POST",route="\/v1\/verification\/sessions",status="400"\} 1/,
    );
  });

  it('shows the development SMS sink in development only', async () => {
    t = await TestServer.start(dialect);
    const { code } = await t.startVerification('+79001234567');
    const res = await t.request('GET', '/v1/dev/sms?phoneNumber=%2B79001234567');
    expect(res.status).toBe(200);
    expect(res.body.messages).toHaveLength(1);
    expect(res.body.messages[0]).toMatchObject({ to: '+79001234567' });
    expect(res.body.messages[0].text).toContain(code);
    expect((await t.request('GET', '/v1/dev/sms?phoneNumber=%2B79001234568')).body.messages).toEqual([]);
    await t.close();

    t = await TestServer.start(dialect, {
      env: { SIGNET_ENV: 'production', SIGNET_SMS_PROVIDER: 'http', SIGNET_SMS_HTTP_URL: 'http://127.0.0.1:9/' },
    });
    await t.startVerification('+79001234567');
    for (const path of ['/v1/dev/sms', '/v1/dev/sms?phoneNumber=%2B79001234567', '/v1/dev/sms?phoneNumber=bad']) {
      const prod = await t.request('GET', path);
      expectErrorShape(prod, 404);
      expect(prod.body.code).toBe('NOT_FOUND');
    }
  });
});
