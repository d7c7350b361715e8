import { testDialects } from '@signet/common';
import { IdentificationAccepted } from '@signet/protocol';
import { Value } from 'typebox/value';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Harness, item } from './harness';

describe.each(testDialects())('identification request batches (%s)', (dialect) => {
  let h: Harness;
  beforeEach(async () => {
    h = await Harness.start(dialect);
    await h.service.subscribers.add({ phoneNumber: '+79001234567' });
  });
  afterEach(async () => {
    await h.close();
  });

  const requestCount = async () => (await h.db.selectFrom('identification_requests').selectAll().execute()).length;

  it('answers 400 to an empty batch and 413 TOO_LARGE to more than 1000 items, and takes exactly 1000', async () => {
    const empty = await h.identify([]);
    expect(empty.status).toBe(400);
    expect(empty.body).toMatchObject({ status: 400, code: 'INVALID_ARGUMENT' });
    const over = await h.identify(Array.from({ length: 1001 }, () => item()));
    expect(over.status).toBe(413);
    expect(over.body).toMatchObject({ status: 413, code: 'TOO_LARGE' });
    expect(await requestCount()).toBe(0);
    const full = await h.identify(Array.from({ length: 1000 }, () => item()));
    expect(full.status).toBe(202);
    expect(full.body.accepted).toHaveLength(1000);
  });

  it('rejects malformed items one by one with their index and requestId, and accepts the rest', async () => {
    const good = item();
    const requests = [
      good,
      item({ phoneNumber: '89001234567' }),
      item({ reason: 'curiosity' }),
      { ...item(), requestedAt: undefined },
      item({ requestedAt: '2026-02-30T10:00:00Z' }),
      item({ possessionVerifiedAt: '2026-11-29T10:00:01Z' }),
      item({ requestId: 'has space' }),
      'not an object',
      item({ userCode: 'x'.repeat(65) }),
      item({ requestedAt: '2026-11-29 10:00:00' }),
    ];
    const res = await h.identify(requests);
    expect(res.status).toBe(202);
    expect(Value.Check(IdentificationAccepted, res.body)).toBe(true);
    expect(res.body.accepted).toEqual([good.requestId]);
    expect(res.body.rejected.map((r: any) => [r.index, r.requestId, r.code])).toEqual([
      [1, (requests[1] as any).requestId, 'INVALID_ARGUMENT'],
      [2, (requests[2] as any).requestId, 'INVALID_ARGUMENT'],
      [3, (requests[3] as any).requestId, 'INVALID_ARGUMENT'],
      [4, (requests[4] as any).requestId, 'INVALID_ARGUMENT'],
      [5, (requests[5] as any).requestId, 'INVALID_ARGUMENT'],
      [6, null, 'INVALID_ARGUMENT'],
      [7, null, 'INVALID_ARGUMENT'],
      [8, (requests[8] as any).requestId, 'INVALID_ARGUMENT'],
      [9, (requests[9] as any).requestId, 'INVALID_ARGUMENT'],
    ]);
    for (const r of res.body.rejected) expect(r.message).toEqual(expect.any(String));
    expect(await requestCount()).toBe(1);
  });

  it('treats an unknown number as a denial to come, not an input error', async () => {
    const res = await h.identify([item({ phoneNumber: '+79009999999' })]);
    expect(res.body.rejected).toEqual([]);
  });

  it('rejects the second occurrence of a requestId within one batch', async () => {
    const first = item();
    const res = await h.identify([first, { ...first }, item()]);
    expect(res.body.accepted).toHaveLength(2);
    expect(res.body.accepted[0]).toBe(first.requestId);
    expect(res.body.rejected).toEqual([
      { index: 1, requestId: first.requestId, code: 'INVALID_ARGUMENT', message: expect.any(String) },
    ]);
  });

  it('accepts a requestId sent again with the same fields without acting again', async () => {
    const req = item();
    await h.identify([req]);
    await h.runDue();
    // The same instants written differently are the same fields (spec 2).
    const again = {
      ...req,
      requestedAt: '2026-11-29T13:00:00.000+03:00',
      possessionVerifiedAt: '2026-11-29T09:59:58.000Z',
    };
    const res = await h.identify([again, item()]);
    expect(res.status).toBe(202);
    expect(res.body.accepted[0]).toBe(req.requestId);
    expect(res.body.rejected).toEqual([]);
    h.clock.advance(1000);
    await h.runDue();
    const answered = h.m1.events.flatMap((e) => e.body.results.map((r: any) => r.requestId));
    expect(answered.filter((id: string) => id === req.requestId)).toHaveLength(1);
  });

  it('rejects a requestId sent again with other fields as ID_REUSED', async () => {
    const req = item();
    await h.identify([req]);
    for (const change of [
      { userCode: 'uc_other' },
      { phoneNumber: '+79001234568' },
      { reason: 'reidentification' },
      { requestedAt: '2026-11-29T10:00:00.001Z' },
      { possessionVerifiedAt: '2026-11-29T09:00:00Z' },
    ]) {
      const res = await h.identify([{ ...req, ...change }]);
      expect(res.body.accepted).toEqual([]);
      expect(res.body.rejected).toEqual([
        { index: 0, requestId: req.requestId, code: 'ID_REUSED', message: expect.any(String) },
      ]);
    }
  });

  it('accepts the same request sent in two concurrent batches once', async () => {
    const req = item();
    const answers = await Promise.all([
      h.identify([req]),
      h.identify([req]),
      h.identify([{ ...req, userCode: 'uc_x' }]),
    ]);
    expect(answers.map((a) => a.status)).toEqual([202, 202, 202]);
    const codes = answers.map((a) => (a.body.accepted.length === 1 ? 'accepted' : a.body.rejected[0].code));
    expect(codes.filter((c) => c === 'accepted').length).toBeGreaterThanOrEqual(1);
    expect(await requestCount()).toBe(1);
  });

  it("keeps each messenger's requestIds apart", async () => {
    const req = item();
    expect((await h.identify([req])).body.accepted).toEqual([req.requestId]);
    const other = await h.identify([{ ...req, userCode: 'uc_of_m2' }], { as: h.m2 });
    expect(other.body.accepted).toEqual([req.requestId]);
  });
});

describe.each(testDialects())('webhook-id idempotency of POSTs (%s)', (dialect) => {
  let h: Harness;
  beforeEach(async () => {
    h = await Harness.start(dialect);
    await h.service.subscribers.add({ phoneNumber: '+79001234567' });
  });
  afterEach(async () => {
    await h.close();
  });

  const body = (requests: unknown[]) => JSON.stringify({ messengerId: 'm1', requests });
  const post = (raw: string, id: string, correlator?: string) =>
    h.m1.post(h.url, '/v1/identifications', raw, { id, headers: correlator ? { 'x-correlator': correlator } : {} });

  it('replays the same status and body for the same id and bytes, and acts once', async () => {
    const raw = body([item(), { bad: true }]);
    const first = await post(raw, 'msg_same', 'c1');
    h.clock.advance(60_000);
    const second = await post(raw, 'msg_same', 'c2');
    expect(second.status).toBe(first.status);
    expect(second.text).toBe(first.text);
    expect(second.headers.get('x-correlator')).toBe('c2');
    expect(await h.db.selectFrom('identification_requests').selectAll().execute()).toHaveLength(1);
    await h.runDue();
    expect(h.m1.events).toHaveLength(1);
  });

  it('answers 409 ID_REUSED to the same id with other bytes', async () => {
    await post(body([item()]), 'msg_x');
    const res = await post(body([item()]), 'msg_x');
    expect(res.status).toBe(409);
    expect(res.body).toEqual({ status: 409, code: 'ID_REUSED', message: expect.any(String) });
    // Even bytes that would fail on their own: the reused id is the first thing wrong.
    expect((await post(body([]), 'msg_x')).status).toBe(409);
  });

  it('remembers ids per sender', async () => {
    await post(body([item()]), 'msg_shared');
    const raw = JSON.stringify({ messengerId: 'm2', requests: [item()] });
    const res = await h.m2.post(h.url, '/v1/identifications', raw, { id: 'msg_shared' });
    expect(res.status).toBe(202);
  });

  it('does not remember answers that did not act (400, 413, 401)', async () => {
    expect((await post(body([]), 'msg_retry')).status).toBe(400);
    const tooMany = body(Array.from({ length: 1001 }, () => item()));
    expect((await post(tooMany, 'msg_retry')).status).toBe(413);
    const forged = await h.m1.post(h.url, '/v1/identifications', body([item()]), {
      id: 'msg_retry',
      secret: h.m2.secrets[0],
    });
    expect(forged.status).toBe(401);
    expect((await post(body([item()]), 'msg_retry')).status).toBe(202);
  });

  it('remembers an id for 72 hours', async () => {
    const raw = body([item()]);
    await post(raw, 'msg_old');
    h.clock.advance(72 * 3600_000 - 1);
    expect((await post(body([item()]), 'msg_old')).status).toBe(409);
    const replay = await post(raw, 'msg_old');
    expect(replay.status).toBe(202);
  });

  it('answers concurrent twins once, the same way', async () => {
    const raw = body([item(), item(), item()]);
    const answers = await Promise.all(Array.from({ length: 5 }, () => post(raw, 'msg_twins')));
    expect(new Set(answers.map((a) => `${a.status} ${a.text}`)).size).toBe(1);
    expect(answers[0]!.status).toBe(202);
    expect(await h.db.selectFrom('identification_requests').selectAll().execute()).toHaveLength(3);
  });
});
