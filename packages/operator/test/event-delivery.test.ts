import { HOUR, MINUTE, SECOND, testDialects } from '@signet/common';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { newSecret } from './counterpart';
import { Harness, item } from './harness';

const SCHEDULE = [5 * SECOND, 5 * MINUTE, 30 * MINUTE, 2 * HOUR, 5 * HOUR, 10 * HOUR, 14 * HOUR, 20 * HOUR, 24 * HOUR];

describe.each(testDialects())('delivery of events (%s)', (dialect) => {
  let h: Harness;
  beforeEach(async () => {
    h = await Harness.start(dialect);
    await h.service.subscribers.add({ phoneNumber: '+79001234567' });
  });
  afterEach(async () => {
    await h.close();
  });

  /** Moves the clock in steps of `step` up to `ms`, running the worker each time; returns the attempts made. */
  const runFor = async (ms: number, step = SECOND) => {
    const before = h.m1.received.length;
    for (let t = 0; t < ms; t += step) {
      h.clock.advance(step);
      await h.runDue();
    }
    return h.m1.received.length - before;
  };

  it('retries at once, then after 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 14 h, 20 h and 24 h, with the same id and bytes', async () => {
    h.m1.answers.push(...Array.from({ length: 10 }, () => ({ status: 500 })));
    await h.identify([item()]);
    await h.runDue();
    expect(h.m1.received).toHaveLength(1);
    for (const wait of SCHEDULE) {
      h.clock.advance(wait - 1);
      await h.runDue();
      const count = h.m1.received.length;
      h.clock.advance(1);
      await h.runDue();
      expect(h.m1.received).toHaveLength(count + 1);
    }
    expect(h.m1.received).toHaveLength(10);
    const times = h.m1.received.map((e) => e.at);
    expect(times.slice(1).map((t, i) => t - times[i]!)).toEqual(SCHEDULE);
    const ids = new Set(h.m1.received.map((e) => e.headers['webhook-id']));
    expect(ids.size).toBe(1);
    const bodies = new Set(h.m1.received.map((e) => e.raw.toString('base64')));
    expect(bodies.size).toBe(1);
    // A fresh timestamp (and so signature) each time; every attempt verified.
    expect(new Set(h.m1.received.map((e) => e.headers['webhook-timestamp'])).size).toBe(10);
    expect(h.m1.received.every((e) => e.verified)).toBe(true);
    // The schedule is spent: no eleventh attempt, and the staff are alerted.
    h.clock.advance(7 * 24 * HOUR);
    await h.runDue();
    expect(h.m1.received).toHaveLength(10);
    const event = await h.db.selectFrom('outbox_events').selectAll().executeTakeFirstOrThrow();
    expect(event).toMatchObject({ state: 'failed', attempts: 10, next_attempt_at: null, last_status: 500 });
    expect(h.logs.some((l) => l.includes('ALERT') && JSON.parse(l).level >= 50)).toBe(true);
  });

  it('stops at the first 2xx after failures', async () => {
    h.m1.answers.push({ status: 500 }, { status: 502 });
    await h.identify([item()]);
    await h.runDue();
    h.clock.advance(5 * SECOND);
    await h.runDue();
    h.clock.advance(5 * MINUTE);
    await h.runDue();
    expect(h.m1.received.map((e) => e.answered)).toEqual([500, 502, 204]);
    expect(await runFor(48 * HOUR, HOUR)).toBe(0);
    const event = await h.db.selectFrom('outbox_events').selectAll().executeTakeFirstOrThrow();
    expect(event).toMatchObject({ state: 'delivered', attempts: 3, delivered_at: h.clock.now() - 48 * HOUR });
  });

  it('waits at least Retry-After after a 429 or a 503, and keeps the schedule when that is later', async () => {
    h.m1.answers.push({ status: 429, headers: { 'retry-after': '120' } });
    h.m1.answers.push({ status: 503, headers: { 'retry-after': '10' } });
    await h.identify([item()]);
    await h.runDue();
    expect(await runFor(119 * SECOND)).toBe(0);
    expect(await runFor(SECOND)).toBe(1);
    // 10 s asked, but the schedule's 5 minutes are longer.
    expect(await runFor(5 * MINUTE - SECOND)).toBe(0);
    expect(await runFor(SECOND)).toBe(1);
    expect(h.m1.received.map((e) => e.answered)).toEqual([429, 503, 204]);
  });

  it('stops on 410 Gone and alerts the staff', async () => {
    h.m1.answers.push({ status: 410 });
    await h.identify([item()]);
    await h.runDue();
    expect(await runFor(3 * 24 * HOUR, HOUR)).toBe(0);
    const event = await h.db.selectFrom('outbox_events').selectAll().executeTakeFirstOrThrow();
    expect(event).toMatchObject({ state: 'gone', attempts: 1, next_attempt_at: null });
    expect(h.logs.some((l) => l.includes('410') && JSON.parse(l).level >= 50)).toBe(true);
  });

  it('retries after a network failure', async () => {
    await h.m1.close();
    await h.identify([item()]);
    await h.runDue();
    const event = await h.db.selectFrom('outbox_events').selectAll().executeTakeFirstOrThrow();
    expect(event).toMatchObject({ state: 'pending', attempts: 1, last_status: null });
    expect(event.last_error).toEqual(expect.any(String));
    expect(event.next_attempt_at).toBe(h.clock.now() + 5 * SECOND);
  });

  it('delivers results that arrive after the deadline too', async () => {
    h.m1.answers.push(...Array.from({ length: 4 }, () => ({ status: 500 })));
    const req = item();
    await h.identify([req]);
    await h.runDue();
    await runFor(3 * HOUR, MINUTE);
    expect(h.m1.events.at(-1)!.answered).toBe(204);
    expect(h.m1.events.at(-1)!.body.results[0].requestId).toBe(req.requestId);
  });

  it('signs each event with every current secret of the messenger, so a rotation never breaks delivery', async () => {
    await h.close();
    const a = newSecret();
    const b = newSecret();
    h = await Harness.start(dialect, { m1Secrets: [a, b] });
    await h.service.subscribers.add({ phoneNumber: '+79001234567' });
    // The messenger has already dropped `a`: it verifies with `b` alone.
    h.m1.secrets.splice(0, 1);
    expect((await h.m1.post(h.url, '/v1/identifications', { messengerId: 'm1', requests: [item()] })).status).toBe(202);
    await h.runDue();
    expect(h.m1.events).toHaveLength(1);
    expect(String(h.m1.events[0]!.headers['webhook-signature']).split(' ')).toHaveLength(2);
  });

  it('survives a restart: undelivered events and undecided requests are still delivered', async () => {
    await h.close();
    h = await Harness.start(dialect, { env: { SIGNET_OPERATOR_ANSWER_DELAY: '1m' } });
    await h.service.subscribers.add({ phoneNumber: '+79001234567' });
    const first = item();
    h.m1.answers.push({ status: 503 });
    await h.identify([first]);
    h.clock.advance(MINUTE);
    await h.runDue();
    const second = item();
    await h.identify([second]);
    expect(h.m1.received).toHaveLength(1);
    const sent = h.m1.received[0]!;

    await h.restart();
    h.clock.advance(MINUTE);
    await h.runDue();
    const ids = h.m1.events
      .filter((e) => e.answered === 204)
      .flatMap((e) => e.body.results.map((r: any) => r.requestId));
    expect(ids.sort()).toEqual([first.requestId, second.requestId].sort());
    const retried = h.m1.received.find((e) => e.headers['webhook-id'] === sent.headers['webhook-id'] && e !== sent);
    expect(retried?.raw.equals(sent.raw)).toBe(true);
  });
});
