import { testDialects } from '@signet/common';
import { CORRELATOR_PATTERN } from '@signet/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { newSecret, send, sign } from './counterpart';
import { Harness, item } from './harness';

const PATH = '/v1/identifications';

describe.each(testDialects())('authentication of messenger requests (%s)', (dialect) => {
  let h: Harness;
  const old = newSecret();
  const current = newSecret();
  beforeEach(async () => {
    h = await Harness.start(dialect, { m1Secrets: [current, old] });
  });
  afterEach(async () => {
    await h.close();
  });

  const body = () => JSON.stringify({ messengerId: 'm1', requests: [item()] });
  const post = (raw: string, headers: Record<string, string>) =>
    send(h.url + PATH, 'POST', { 'content-type': 'application/json', ...headers }, raw);

  it('accepts a request signed with any current secret of the sender (rotation)', async () => {
    expect((await h.m1.post(h.url, PATH, body(), { secret: current })).status).toBe(202);
    expect((await h.m1.post(h.url, PATH, body(), { secret: old })).status).toBe(202);
  });

  it('answers 401 UNAUTHENTICATED in the CAMARA shape to a request without a signature', async () => {
    const res = await post(body(), {});
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ status: 401, code: 'UNAUTHENTICATED', message: expect.any(String) });
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  });

  it('answers 401 when a header of the signature is missing', async () => {
    const raw = body();
    const signed = sign(current, 'msg_1', h.clock.now(), raw);
    for (const drop of ['webhook-id', 'webhook-timestamp', 'webhook-signature']) {
      const headers = { ...signed } as Record<string, string>;
      delete headers[drop];
      expect((await post(raw, headers)).status).toBe(401);
    }
  });

  it("answers 401 to a signature made with another messenger's secret", async () => {
    const res = await h.m1.post(h.url, PATH, body(), { secret: h.m2.secrets[0] });
    expect(res.status).toBe(401);
  });

  it('answers 401 when the body was changed after signing', async () => {
    const raw = body();
    const headers = sign(current, 'msg_tamper', h.clock.now(), raw);
    expect((await post(raw.replace('+7900', '+7901'), headers)).status).toBe(401);
  });

  it('answers 401 to an unknown sender, and to a body that names none', async () => {
    const unknown = JSON.stringify({ messengerId: 'nobody', requests: [item()] });
    expect((await post(unknown, sign(current, 'msg_u', h.clock.now(), unknown))).status).toBe(401);
    const anonymous = JSON.stringify({ requests: [item()] });
    expect((await post(anonymous, sign(current, 'msg_a', h.clock.now(), anonymous))).status).toBe(401);
    const list = JSON.stringify([1, 2]);
    expect((await post(list, sign(current, 'msg_l', h.clock.now(), list))).status).toBe(401);
  });

  it('answers 401 to a timestamp more than 300 s away, and accepts one exactly 300 s away', async () => {
    const now = h.clock.now();
    expect((await h.m1.post(h.url, PATH, body(), { nowMs: now - 301_000 })).status).toBe(401);
    expect((await h.m1.post(h.url, PATH, body(), { nowMs: now + 301_000 })).status).toBe(401);
    expect((await h.m1.post(h.url, PATH, body(), { nowMs: now - 300_000 })).status).toBe(202);
    expect((await h.m1.post(h.url, PATH, body(), { nowMs: now + 300_000 })).status).toBe(202);
  });

  it('answers 400 to a body that is not JSON when a secret verifies it, else 401', async () => {
    const raw = '{"messengerId":"m1","requests":[';
    const good = await post(raw, sign(old, 'msg_j1', h.clock.now(), raw));
    expect(good.status).toBe(400);
    expect(good.body.code).toBe('INVALID_ARGUMENT');
    const ofOtherMessenger = await post(raw, sign(h.m2.secrets[0]!, 'msg_j2', h.clock.now(), raw));
    expect(ofOtherMessenger.status).toBe(400);
    expect((await post(raw, sign(newSecret(), 'msg_j3', h.clock.now(), raw))).status).toBe(401);
    expect((await post(raw, {})).status).toBe(401);
    const stale = await post(raw, sign(old, 'msg_j4', h.clock.now() - 400_000, raw));
    expect(stale.status).toBe(401);
  });

  it('answers 400 to bytes that are not UTF-8, as to any body that is not JSON', async () => {
    const raw = Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x7d]);
    const headers = sign(current, 'msg_b', h.clock.now(), raw);
    const res = await fetch(h.url + PATH, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: raw,
    });
    expect(res.status).toBe(400);
  });

  it('answers 400 to an authenticated envelope that fails the schema, and to a malformed webhook-id', async () => {
    const noList = await h.m1.post(h.url, PATH, { messengerId: 'm1', requests: 'all' });
    expect(noList.status).toBe(400);
    expect(noList.body.code).toBe('INVALID_ARGUMENT');
    const badId = await h.m1.post(h.url, PATH, body(), { id: 'msg with spaces' });
    expect(badId.status).toBe(400);
  });

  it('takes a JSON body sent without a content type or with a charset', async () => {
    const raw = body();
    const headers = sign(current, 'msg_ct1', h.clock.now(), raw);
    expect((await send(h.url + PATH, 'POST', headers, raw)).status).toBe(202);
    const raw2 = body();
    const headers2 = {
      ...sign(current, 'msg_ct2', h.clock.now(), raw2),
      'content-type': 'application/json; charset=utf-8',
    };
    expect((await send(h.url + PATH, 'POST', headers2, raw2)).status).toBe(202);
  });
});

describe.each(testDialects())('x-correlator (%s)', (dialect) => {
  let h: Harness;
  beforeEach(async () => {
    h = await Harness.start(dialect);
  });
  afterEach(async () => {
    await h.close();
  });

  const body = () => ({ messengerId: 'm1', requests: [item()] });

  it('echoes the correlator of a request, on success and on errors', async () => {
    const ok = await h.m1.post(h.url, '/v1/identifications', body(), { headers: { 'x-correlator': 'abc.DEF:1-2_3' } });
    expect(ok.status).toBe(202);
    expect(ok.headers.get('x-correlator')).toBe('abc.DEF:1-2_3');
    const unauth = await send(`${h.url}/v1/identifications`, 'POST', { 'x-correlator': 'c-401' }, '{}');
    expect(unauth.status).toBe(401);
    expect(unauth.headers.get('x-correlator')).toBe('c-401');
    const missing = await h.m1.get(h.url, '/v1/identifications/nope?messengerId=m1', {
      headers: { 'x-correlator': 'c-404' },
    });
    expect(missing.status).toBe(404);
    expect(missing.headers.get('x-correlator')).toBe('c-404');
    const noRoute = await send(`${h.url}/v2/nothing`, 'GET', { 'x-correlator': 'c-none' });
    expect(noRoute.headers.get('x-correlator')).toBe('c-none');
  });

  it('makes up a correlator when the request has none', async () => {
    const a = await h.m1.post(h.url, '/v1/identifications', body());
    const b = await h.m1.post(h.url, '/v1/identifications', body());
    const ca = a.headers.get('x-correlator') ?? '';
    expect(ca).toMatch(CORRELATOR_PATTERN);
    expect(b.headers.get('x-correlator')).not.toBe(ca);
  });

  it('answers 400 to a malformed correlator, with a correlator of its own', async () => {
    for (const bad of ['has space', 'x'.repeat(129), 'semi;colon', '']) {
      const res = await h.m1.post(h.url, '/v1/identifications', body(), { headers: { 'x-correlator': bad } });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ status: 400, code: 'INVALID_ARGUMENT' });
      const own = res.headers.get('x-correlator') ?? '';
      expect(own).toMatch(CORRELATOR_PATTERN);
      expect(own).not.toBe(bad);
    }
    const longest = 'x'.repeat(128);
    const ok = await h.m1.post(h.url, '/v1/identifications', body(), { headers: { 'x-correlator': longest } });
    expect(ok.headers.get('x-correlator')).toBe(longest);
  });

  it('sends a correlator with every event', async () => {
    await h.service.subscribers.add({ phoneNumber: '+79001234567' });
    await h.m1.post(h.url, '/v1/identifications', body());
    await h.runDue();
    expect(h.m1.events[0]!.headers['x-correlator']).toMatch(CORRELATOR_PATTERN);
  });
});
