import { MINUTE, SECOND, testDialects } from '@signet/common';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Harness, item } from './harness';

describe.each(testDialects())('deciding identification requests (%s)', (dialect) => {
  let h: Harness;
  beforeEach(async () => {
    h = await Harness.start(dialect);
    await h.service.subscribers.add({ phoneNumber: '+79001234567' });
    await h.service.subscribers.add({ phoneNumber: '+79001000003', identityComplete: false });
    await h.service.subscribers.add({ phoneNumber: '+79001000004' });
    await h.service.subscribers.portOut('+79001000004');
    await h.service.subscribers.add({ phoneNumber: '+79001000005' });
    await h.service.subscribers.terminate('+79001000005');
  });
  afterEach(async () => {
    await h.close();
  });

  it('confirms an active subscriber with complete data and denies the others with the right reasonCode', async () => {
    const items = [
      item({ phoneNumber: '+79001234567' }),
      item({ phoneNumber: '+79001000003' }),
      item({ phoneNumber: '+79001000004' }),
      item({ phoneNumber: '+79001000005' }),
      item({ phoneNumber: '+79001000009' }),
    ];
    const res = await h.identify(items);
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ accepted: items.map((i) => i.requestId), rejected: [] });
    await h.runDue();

    expect(h.m1.events).toHaveLength(1);
    const event = h.m1.events[0]!;
    expect(event.schemaOk).toBe(true);
    expect(event.headers['content-type']).toBe('application/json');
    expect(event.body.type).toBe('identification.completed');
    expect(event.body.operatorId).toBe('test-operator');
    const byId = new Map(event.body.results.map((r: any) => [r.requestId, r]));
    const decidedAt = new Date(h.clock.now()).toISOString();
    expect(byId.get(items[0]!.requestId)).toEqual({
      requestId: items[0]!.requestId,
      userCode: items[0]!.userCode,
      phoneNumber: '+79001234567',
      result: 'confirmed',
      reasonCode: null,
      decidedAt,
    });
    const reasons = items
      .slice(1)
      .map((i) => [(byId.get(i.requestId) as any).result, (byId.get(i.requestId) as any).reasonCode]);
    expect(reasons).toEqual([
      ['denied', 'SUBSCRIBER_DATA_MISSING'],
      ['denied', 'NUMBER_NOT_SERVED'],
      ['denied', 'SUBSCRIBER_NOT_FOUND'],
      ['denied', 'SUBSCRIBER_NOT_FOUND'],
    ]);
    expect(h.m2.received).toHaveLength(0);
  });

  it('denies numbers outside its ranges with NUMBER_NOT_SERVED', async () => {
    await h.close();
    h = await Harness.start(dialect, { env: { SIGNET_OPERATOR_NUMBER_PREFIXES: '+7900' } });
    await h.service.subscribers.add({ phoneNumber: '+79161234567' });
    const inside = item({ phoneNumber: '+79001111111' });
    const outside = item({ phoneNumber: '+79161234567' });
    await h.identify([inside, outside]);
    await h.runDue();
    const results = h.m1.events[0]!.body.results;
    expect(results.find((r: any) => r.requestId === inside.requestId).reasonCode).toBe('SUBSCRIBER_NOT_FOUND');
    expect(results.find((r: any) => r.requestId === outside.requestId).reasonCode).toBe('NUMBER_NOT_SERVED');
  });

  it('records the registration durably before the event that confirms it goes out', async () => {
    const req = item();
    let seenWhileDelivering: any;
    h.m1.onEvent = async () => {
      const page = await h.m1.get(h.url, '/v1/registrations?messengerId=m1');
      seenWhileDelivering = page.body;
    };
    await h.identify([req]);
    await h.runDue();
    expect(h.m1.events).toHaveLength(1);
    expect(seenWhileDelivering.registrations).toEqual([
      {
        userCode: req.userCode,
        phoneNumber: '+79001234567',
        status: 'active',
        changedAt: new Date(h.clock.now()).toISOString(),
      },
    ]);
    const row = await h.db.selectFrom('registrations').selectAll().executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      messenger_id: 'm1',
      user_code: req.userCode,
      request_id: req.requestId,
      status: 'active',
    });
    expect(row.decided_at).toBe(h.clock.now());
  });

  it('creates no registration for a denial', async () => {
    await h.identify([item({ phoneNumber: '+79001000003' })]);
    await h.runDue();
    expect(await h.db.selectFrom('registrations').selectAll().execute()).toEqual([]);
  });

  it('answers after the configured delay, imitating a slow operator', async () => {
    await h.close();
    h = await Harness.start(dialect, { env: { SIGNET_OPERATOR_ANSWER_DELAY: '90s' } });
    await h.service.subscribers.add({ phoneNumber: '+79001234567' });
    const req = item();
    await h.identify([req]);
    const accepted = h.clock.now();
    await h.runDue();
    h.clock.advance(89 * SECOND);
    await h.runDue();
    expect(h.m1.received).toHaveLength(0);
    h.clock.advance(SECOND);
    await h.runDue();
    expect(h.m1.events).toHaveLength(1);
    expect(Date.parse(h.m1.events[0]!.body.results[0].decidedAt)).toBe(accepted + 90 * SECOND);
  });

  it('never answers a number of the silent set', async () => {
    await h.close();
    h = await Harness.start(dialect, { env: { SIGNET_OPERATOR_SILENT_NUMBERS: '+79001112233' } });
    const silent = item({ phoneNumber: '+79001112233' });
    const other = item({ phoneNumber: '+79001112244' });
    await h.identify([silent, other]);
    h.clock.advance(60 * MINUTE);
    await h.runDue();
    expect(h.m1.events.flatMap((e) => e.body.results.map((r: any) => r.requestId))).toEqual([other.requestId]);
    const poll = await h.m1.get(h.url, `/v1/identifications/${silent.requestId}?messengerId=m1`);
    expect(poll.body).toEqual({ requestId: silent.requestId, status: 'pending' });
  });

  it('carries at most 1000 results per event and waits for the linger before sending a partial batch', async () => {
    await h.close();
    h = await Harness.start(dialect, { env: { SIGNET_OPERATOR_EVENT_LINGER: '2s' } });
    const batch1 = Array.from({ length: 1000 }, () => item({ phoneNumber: '+79005550000' }));
    const batch2 = Array.from({ length: 5 }, () => item({ phoneNumber: '+79005550000' }));
    expect((await h.identify(batch1)).status).toBe(202);
    expect((await h.identify(batch2)).status).toBe(202);
    await h.runDue();
    expect(h.m1.events.map((e) => e.body.results.length)).toEqual([1000]);
    h.clock.advance(2 * SECOND);
    await h.runDue();
    expect(h.m1.events.map((e) => e.body.results.length)).toEqual([1000, 5]);
    const all = h.m1.events.flatMap((e) => e.body.results.map((r: any) => r.requestId));
    expect(new Set(all).size).toBe(1005);
  });
});

describe.each(testDialects())('the worker loop (%s)', (dialect) => {
  let h: Harness;
  afterEach(async () => {
    await h.close();
  });

  it('answers on its own when the loop runs, and stops cleanly on close', async () => {
    h = await Harness.start(dialect, { env: { SIGNET_OPERATOR_WORKER_INTERVAL: '50ms' } });
    await h.service.subscribers.add({ phoneNumber: '+79001234567' });
    const req = item();
    await h.identify([req]);
    for (let i = 0; i < 100 && h.m1.events.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(h.m1.events[0]?.body.results[0]).toMatchObject({ requestId: req.requestId, result: 'confirmed' });
  });
});
