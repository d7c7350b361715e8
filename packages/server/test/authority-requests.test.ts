import { MINUTE, SECOND, testDialects } from '@signet/common';
import { DataRequestAnswer, ErrorBody } from '@signet/protocol';
import fc from 'fast-check';
import { Value } from 'typebox/value';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createAuthority,
  legalBasis,
  type SignedOptions,
  send,
  signedRequest,
  type TestAuthority,
} from './authority-helpers';
import { TestServer } from './harness';

const ME = '/authority/v1/me';
const DATA_REQUESTS = '/authority/v1/data-requests';
const request = { legalBasis, target: { phoneNumber: '+79001234567' } };

describe.each(testDialects())('signed authority requests (%s)', (dialect) => {
  let t: TestServer;
  let court: TestAuthority;
  beforeEach(async () => {
    t = await TestServer.start(dialect);
    court = await createAuthority(t, ['data-request', 'restriction'], 'District Court');
  });
  afterEach(async () => {
    await t.close();
  });

  const signed = (method: string, target: string, body?: unknown, options: SignedOptions = {}, who = court) =>
    signedRequest(t, who.signer, method, target, body, options);
  const expectRefused = (res: { status: number; body: any }, status: number, code: string, reason: string) => {
    expect(res.status, JSON.stringify(res.body)).toBe(status);
    expect(res.body).toMatchObject({ status, code, details: { reason } });
    expect(typeof res.body.message).toBe('string');
  };
  const nonces = () => t.ctx.db.db.selectFrom('authority_nonces').selectAll().execute();
  const kinds = async () =>
    (await t.ctx.db.db.selectFrom('audit_log').select('kind').orderBy('seq').execute()).map((r) => r.kind);

  it('accepts requests signed by an enabled authority that holds the role', async () => {
    const me = await signed('GET', ME);
    expect(me.status, me.text).toBe(200);
    expect(me.body).toEqual({ authorityId: court.id, name: 'District Court', roles: ['data-request', 'restriction'] });
    const answer = await signed('POST', DATA_REQUESTS, request);
    expect(answer.status, answer.text).toBe(200);
    expect(answer.body).toMatchObject({ legalBasis, target: { phoneNumber: '+79001234567' }, accounts: [] });
    // A query string is part of what is signed.
    expect((await signed('GET', `${ME}?check=1`)).status).toBe(200);
  });

  it('refuses unsigned requests and requests missing a header, before reading the body', async () => {
    expectRefused(await t.request('GET', ME), 401, 'UNAUTHENTICATED', 'unsigned');
    expectRefused(await t.request('POST', DATA_REQUESTS, request), 401, 'UNAUTHENTICATED', 'unsigned');
    // Not even a broken body gets past the missing signature.
    expectRefused(await t.request('POST', DATA_REQUESTS, '{"legalBasis":'), 401, 'UNAUTHENTICATED', 'unsigned');
    for (const name of ['signet-authority', 'signet-timestamp', 'signet-nonce', 'signet-signature']) {
      const res = await signed('GET', ME, undefined, {
        headers: (h) => Object.fromEntries(Object.entries(h).filter(([k]) => k !== name)),
      });
      expectRefused(res, 401, 'UNAUTHENTICATED', 'unsigned');
      expect(res.body.message.toLowerCase()).toContain(name);
    }
    // A device's session token is no authority credential.
    const user = await t.register('+79001234599');
    expectRefused(await t.request('GET', ME, undefined, user.token), 401, 'UNAUTHENTICATED', 'unsigned');
  });

  it('refuses a signature that does not match the request or the key', async () => {
    const other = await createAuthority(t, ['data-request'], 'Someone else');
    const cases: Array<[string, Promise<{ status: number; body: any }>]> = [
      [
        'body changed',
        signed('POST', DATA_REQUESTS, request, {
          sendBody: JSON.stringify({ ...request, target: { phoneNumber: '+79001234568' } }),
        }),
      ],
      ['target changed', signed('GET', `${ME}?a=1`, undefined, { sendTarget: `${ME}?a=2` })],
      [
        'method changed',
        // Signed as a POST, sent as the GET the route is.
        signed('POST', ME, undefined, { sendMethod: 'GET' }),
      ],
      [
        'another key',
        signed('GET', ME, undefined, { headers: (h) => ({ ...h, 'signet-authority': court.id }) }, other),
      ],
      [
        'timestamp changed',
        signed('GET', ME, undefined, {
          headers: (h) => ({ ...h, 'signet-timestamp': String(Number(h['signet-timestamp']) + 1) }),
        }),
      ],
      [
        'nonce changed',
        signed('GET', ME, undefined, { headers: (h) => ({ ...h, 'signet-nonce': `${h['signet-nonce']}x` }) }),
      ],
      ['garbage', signed('GET', ME, undefined, { headers: (h) => ({ ...h, 'signet-signature': 'A'.repeat(86) }) })],
    ];
    for (const [what, pending] of cases) {
      const res = await pending;
      expect(res.status, what).toBe(401);
      expect(res.body.details.reason, what).toBe('bad-signature');
    }
    expectRefused(
      await signed('GET', ME, undefined, { headers: (h) => ({ ...h, 'signet-signature': 'not base64' }) }),
      401,
      'UNAUTHENTICATED',
      'malformed',
    );
    expectRefused(
      await signed('GET', ME, undefined, { headers: (h) => ({ ...h, 'signet-authority': 'auth_nobody' }) }),
      401,
      'UNAUTHENTICATED',
      'unknown-authority',
    );
  });

  it('refuses a timestamp more than five minutes from the server clock, either way', async () => {
    const now = t.clock.now();
    for (const at of [now - 5 * MINUTE - SECOND, now + 5 * MINUTE + SECOND, 0]) {
      const res = await signed('GET', ME, undefined, { now: at });
      expectRefused(res, 401, 'UNAUTHENTICATED', 'stale');
      expect(res.body.details.serverTime).toBe(Math.floor(now / 1000));
    }
    expect((await signed('GET', ME, undefined, { now: now - 5 * MINUTE })).status).toBe(200);
    expect((await signed('GET', ME, undefined, { now: now + 5 * MINUTE })).status).toBe(200);
  });

  it('refuses a replayed request, and keeps refusing it once its nonce is forgotten', async () => {
    const nonce = 'replay-me-0123456789';
    const headers: Record<string, string> = {
      ...(await court.signer.sign('POST', DATA_REQUESTS, JSON.stringify(request), { now: t.clock.now(), nonce })),
      'content-type': 'application/json',
    };
    expect((await send(t, 'POST', DATA_REQUESTS, headers, JSON.stringify(request))).status).toBe(200);
    expectRefused(
      await send(t, 'POST', DATA_REQUESTS, headers, JSON.stringify(request)),
      401,
      'UNAUTHENTICATED',
      'replayed',
    );
    // The same nonce in another, freshly signed request is a replay too.
    expectRefused(await signed('GET', ME, undefined, { nonce }), 401, 'UNAUTHENTICATED', 'replayed');
    // Another authority may happen to pick the same nonce.
    const other = await createAuthority(t, ['mailing']);
    expect((await signed('GET', ME, undefined, { nonce }, other)).status).toBe(200);
    expect(await t.ctx.db.db.selectFrom('data_requests').selectAll().execute()).toHaveLength(1);

    // Nonces are kept (in the database, for every node) while their timestamp is acceptable, then swept.
    t.clock.advance(5 * MINUTE);
    await t.ctx.authority.sweep();
    expect((await nonces()).length).toBeGreaterThan(0);
    t.clock.advance(2 * SECOND);
    await t.ctx.authority.sweep();
    expect(await nonces()).toEqual([]);
    expectRefused(
      await send(t, 'POST', DATA_REQUESTS, headers, JSON.stringify(request)),
      401,
      'UNAUTHENTICATED',
      'stale',
    );
  });

  it('refuses a request that needs a role the authority does not hold, and audits the refusal', async () => {
    const mailer = await createAuthority(t, ['mailing'], 'Mailer');
    expect((await signed('GET', ME, undefined, {}, mailer)).body.roles).toEqual(['mailing']);
    const res = await signed('POST', DATA_REQUESTS, request, {}, mailer);
    expectRefused(res, 403, 'PERMISSION_DENIED', 'missing-role');
    expect(res.body.message).toContain('data-request');
    expect(await t.ctx.db.db.selectFrom('data_requests').selectAll().execute()).toEqual([]);
    const refused = await t.ctx.db.db
      .selectFrom('audit_log')
      .selectAll()
      .where('kind', '=', 'authority.refused')
      .execute();
    expect(refused).toHaveLength(1);
    expect(refused[0]).toMatchObject({ actor_type: 'authority', actor_id: mailer.id });
    expect(JSON.parse(refused[0]!.payload)).toEqual({
      reason: 'missing-role',
      role: 'data-request',
      method: 'POST',
      target: DATA_REQUESTS,
    });
  });

  it('refuses every request of a disabled authority', async () => {
    expect((await signed('GET', ME)).status).toBe(200);
    const info = await t.ctx.authority.admin.disable(court.id, 'test-admin');
    expect(info.disabledAt).toBe(t.clock.now());
    expectRefused(await signed('GET', ME), 403, 'PERMISSION_DENIED', 'disabled');
    expectRefused(await signed('POST', DATA_REQUESTS, request), 403, 'PERMISSION_DENIED', 'disabled');
    // Disabling twice changes nothing and is audited once.
    await t.ctx.authority.admin.disable(court.id, 'test-admin');
    expect(await kinds()).toEqual([
      'authority.created',
      'authority.disabled',
      'authority.refused',
      'authority.refused',
    ]);
    expect((await t.ctx.audit.verify()).ok).toBe(true);
  });

  it('answers 400 to a signed body that is not JSON or not a data request', async () => {
    const res = await signed('POST', DATA_REQUESTS, '{"legalBasis":');
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'INVALID_ARGUMENT', message: 'the request body is not valid JSON' });
    expect((await signed('POST', DATA_REQUESTS, { ...request, extra: 1 })).status).toBe(400);
    const form = await signedRequest(t, court.signer, 'POST', DATA_REQUESTS, 'a=b', {
      headers: (h) => ({ ...h, 'content-type': 'application/x-www-form-urlencoded' }),
    });
    expect(form.status).toBe(415);
  });

  it('refuses a data request without a legal basis, naming what is missing', async () => {
    const cases: Array<[unknown, string]> = [
      [{ target: request.target }, 'legalBasis'],
      [{ legalBasis: { text: legalBasis.text }, target: request.target }, 'reference'],
      [{ legalBasis: { reference: legalBasis.reference }, target: request.target }, 'text'],
      [{ legalBasis: { ...legalBasis, reference: '' }, target: request.target }, 'reference'],
      [{ legalBasis: { ...legalBasis, text: '  \n ' }, target: request.target }, 'legalBasis.text must not be blank'],
      [
        { legalBasis: { ...legalBasis, reference: ' ' }, target: request.target },
        'legalBasis.reference must not be blank',
      ],
    ];
    for (const [body, mention] of cases) {
      const res = await signed('POST', DATA_REQUESTS, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.code).toBe('INVALID_ARGUMENT');
      expect(res.body.message).toContain(mention);
    }
    expect(await t.ctx.db.db.selectFrom('data_requests').selectAll().execute()).toEqual([]);
  });

  it('refuses malformed targets with a clear error', async () => {
    const cases: Array<[unknown, string, string]> = [
      [{}, 'INVALID_ARGUMENT', 'exactly one of phoneNumber'],
      [{ phoneNumber: '+79001234567', accountId: 'acc_x' }, 'INVALID_ARGUMENT', 'exactly one of phoneNumber'],
      [{ phoneNumber: '89001234567' }, 'INVALID_PHONE_NUMBER', 'E.164'],
      [{ phoneNumber: '+7 900 123-45-67' }, 'INVALID_PHONE_NUMBER', 'E.164'],
      [{ phoneNumber: '+0123456' }, 'INVALID_PHONE_NUMBER', 'E.164'],
      [{ accountId: 'robert; drop table accounts' }, 'INVALID_ARGUMENT', 'target.accountId'],
      [{ accountId: '' }, 'INVALID_ARGUMENT', 'target.accountId'],
      [{ email: 'x@example.com' }, 'INVALID_ARGUMENT', 'target'],
      [{ phoneNumber: 79001234567 }, 'INVALID_ARGUMENT', 'phoneNumber'],
    ];
    for (const [target, code, mention] of cases) {
      const res = await signed('POST', DATA_REQUESTS, { legalBasis, target });
      expect(res.status, JSON.stringify(target)).toBe(400);
      expect(res.body.code, JSON.stringify(target)).toBe(code);
      expect(res.body.message, JSON.stringify(target)).toContain(mention);
    }
  });

  it('answers any signed body with a 4xx in the error shape, or an answer, never a 5xx', async () => {
    const target = fc.oneof(
      fc.record({ phoneNumber: fc.oneof(fc.string(), fc.stringMatching(/^\+[0-9]{1,17}$/)) }, { requiredKeys: [] }),
      fc.record({ accountId: fc.string() }),
      fc.jsonValue(),
    );
    const body = fc.oneof(
      fc.jsonValue(),
      fc.record({
        legalBasis: fc.oneof(
          fc.jsonValue(),
          fc.record({ reference: fc.string({ unit: 'binary' }), text: fc.string({ unit: 'binary' }) }),
        ),
        target,
      }),
    );
    await fc.assert(
      fc.asyncProperty(body, async (value) => {
        const res = await signed('POST', DATA_REQUESTS, JSON.stringify(value));
        if (res.status === 200) {
          expect(Value.Check(DataRequestAnswer, res.body)).toBe(true);
          return;
        }
        expect(res.status, res.text).toBeGreaterThanOrEqual(400);
        expect(res.status, res.text).toBeLessThan(500);
        expect(Value.Check(ErrorBody, res.body), res.text).toBe(true);
      }),
      { numRuns: 60 },
    );
  });

  it('publishes the authority routes in the OpenAPI document with their signature scheme', async () => {
    const doc = (await t.request('GET', '/openapi.json')).body;
    expect(doc.components.securitySchemes.authoritySignature).toMatchObject({ type: 'apiKey', in: 'header' });
    expect(doc.paths[DATA_REQUESTS].post.security).toEqual([{ authoritySignature: [] }]);
  });
});
