import { testDialects } from '@signet/common';
import { IdentificationResult, PendingResult } from '@signet/protocol';
import { Value } from 'typebox/value';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { send, sign } from './counterpart';
import { Harness, item } from './harness';

describe.each(testDialects())('polling for a result (%s)', (dialect) => {
  let h: Harness;
  beforeEach(async () => {
    h = await Harness.start(dialect, { env: { SIGNET_OPERATOR_ANSWER_DELAY: '10s' } });
    await h.service.subscribers.add({ phoneNumber: '+79001234567' });
  });
  afterEach(async () => {
    await h.close();
  });

  const target = (requestId: string, messengerId = 'm1') =>
    `/v1/identifications/${requestId}?messengerId=${messengerId}`;

  it('answers pending until decided, then the result as the event carries it', async () => {
    const req = item();
    await h.identify([req]);
    const pending = await h.m1.get(h.url, target(req.requestId));
    expect(pending.status).toBe(200);
    expect(pending.body).toEqual({ requestId: req.requestId, status: 'pending' });
    expect(Value.Check(PendingResult, pending.body)).toBe(true);

    h.clock.advance(10_000);
    await h.runDue();
    const done = await h.m1.get(h.url, target(req.requestId));
    expect(done.status).toBe(200);
    expect(Value.Check(IdentificationResult, done.body)).toBe(true);
    expect(done.body).toEqual(h.m1.events[0]!.body.results[0]);
    expect(done.body.result).toBe('confirmed');
  });

  it("answers 404 NOT_FOUND for a requestId this messenger never sent, including another messenger's", async () => {
    const req = item();
    await h.identify([req]);
    const unknown = await h.m1.get(h.url, target('idr_never'));
    expect(unknown.status).toBe(404);
    expect(unknown.body).toEqual({ status: 404, code: 'NOT_FOUND', message: expect.any(String) });
    expect((await h.m2.get(h.url, target(req.requestId, 'm2'))).status).toBe(404);
  });

  it('refuses a signature made for another resource, so a captured GET cannot be replayed elsewhere', async () => {
    const a = item();
    const b = item();
    await h.identify([a, b]);
    const replayed = await h.m1.get(h.url, target(b.requestId), { signTarget: target(a.requestId) });
    expect(replayed.status).toBe(401);
    const otherMethod = await send(h.url + target(a.requestId), 'GET', {
      ...sign(h.m1.secrets[0]!, 'msg_p', h.clock.now(), `POST ${target(a.requestId)}`),
    });
    expect(otherMethod.status).toBe(401);
  });

  it('answers 401 without messengerId, for an unknown messenger, a bad signature or a stale timestamp', async () => {
    const req = item();
    await h.identify([req]);
    expect((await h.m1.get(h.url, `/v1/identifications/${req.requestId}`)).status).toBe(401);
    expect((await h.m1.get(h.url, target(req.requestId, 'nobody'))).status).toBe(401);
    expect((await h.m1.get(h.url, target(req.requestId, 'm2'))).status).toBe(401);
    expect((await h.m1.get(h.url, target(req.requestId), { nowMs: h.clock.now() - 301_000 })).status).toBe(401);
    expect((await send(h.url + target(req.requestId), 'GET', {})).status).toBe(401);
  });
});
