import { HOUR, MINUTE, SECOND, testDialects } from '@signet/common';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SubscriberNotFoundError, SubscriberStateError } from '../src/errors';
import { Harness, item } from './harness';

const NUMBER = '+79001234567';

describe.each(testDialects())('contract termination notices (%s)', (dialect) => {
  let h: Harness;
  beforeEach(async () => {
    h = await Harness.start(dialect);
    await h.service.subscribers.add({ phoneNumber: NUMBER });
    await h.service.subscribers.add({ phoneNumber: '+79001000002' });
    // Two users of m1 confirmed on the number (a confirmation never ends an earlier one), one of m2.
    await h.identify([item({ userCode: 'uc_second' }), item({ userCode: 'uc_first' })]);
    await h.identify([item({ userCode: 'uc_m2' })], { as: h.m2 });
    await h.identify([item({ userCode: 'uc_elsewhere', phoneNumber: '+79001000002' })]);
    await h.runDue();
    h.m1.received.length = 0;
    h.m2.received.length = 0;
    h.clock.advance(HOUR);
  });
  afterEach(async () => {
    await h.close();
  });

  const notices = (events: typeof h.m1.received) =>
    events.filter((e) => e.body.type === 'subscriber.contract_terminated').flatMap((e) => e.body.notices);

  it('notifies every messenger where the number is registered, naming every active code, and records delivery', async () => {
    const terminatedAt = h.clock.now();
    await h.service.subscribers.terminate(NUMBER);
    await h.runDue();

    const [n1] = notices(h.m1.events);
    const [n2] = notices(h.m2.events);
    expect(h.m1.events[0]!.schemaOk).toBe(true);
    expect(h.m1.events[0]!.body.operatorId).toBe('test-operator');
    expect(n1).toEqual({
      noticeId: expect.stringMatching(/^[A-Za-z0-9_-]{1,64}$/),
      phoneNumber: NUMBER,
      userCodes: ['uc_first', 'uc_second'],
      reason: 'contract_terminated',
      terminatedAt: new Date(terminatedAt).toISOString(),
    });
    expect(n2).toMatchObject({ userCodes: ['uc_m2'], reason: 'contract_terminated' });
    expect(n1.noticeId).not.toBe(n2.noticeId);

    const regs = await h.db.selectFrom('registrations').selectAll().where('phone_number', '=', NUMBER).execute();
    expect(regs.map((r) => r.status)).toEqual(['terminated', 'terminated', 'terminated']);
    const other = await h.db.selectFrom('registrations').selectAll().where('phone_number', '<>', NUMBER).execute();
    expect(other.map((r) => r.status)).toEqual(['active']);

    const rows = await h.db.selectFrom('termination_notices').selectAll().execute();
    expect(rows.map((r) => r.delivered_at)).toEqual([terminatedAt, terminatedAt]);
    const report = await h.service.report();
    expect(report.notices).toMatchObject({ total: 2, delivered: 2, withinLimit: 2, shareWithinLimit: 1 });
    expect(report.notices.items.every((i) => i.metLimit === true && i.delayMs === 0)).toBe(true);
  });

  it('sends ported_out on a port-out, after which the number is not served', async () => {
    await h.service.subscribers.portOut(NUMBER);
    await h.runDue();
    expect(notices(h.m1.events)[0]).toMatchObject({ reason: 'ported_out', userCodes: ['uc_first', 'uc_second'] });
    expect(notices(h.m2.events)[0]).toMatchObject({ reason: 'ported_out', userCodes: ['uc_m2'] });
    await h.identify([item({ userCode: 'uc_first' })]);
    await h.runDue();
    const result = h.m1.events.flatMap((e) => e.body.results ?? [])[0];
    expect(result).toMatchObject({ result: 'denied', reasonCode: 'NUMBER_NOT_SERVED' });
  });

  it('sends number_reassigned when the number goes to a new holder, who can then be confirmed', async () => {
    await expect(h.service.subscribers.add({ phoneNumber: NUMBER })).rejects.toThrow(SubscriberStateError);
    await h.service.subscribers.add({ phoneNumber: NUMBER, reassign: true });
    await h.runDue();
    expect(notices(h.m1.events)[0]).toMatchObject({
      reason: 'number_reassigned',
      userCodes: ['uc_first', 'uc_second'],
    });
    await h.identify([item({ userCode: 'uc_newcomer' })]);
    await h.runDue();
    const regs = await h.db.selectFrom('registrations').selectAll().where('status', '=', 'active').execute();
    expect(regs.map((r) => r.user_code).sort()).toEqual(['uc_elsewhere', 'uc_newcomer']);
  });

  it('names only codes still active, and sends nothing where the number has none', async () => {
    await h.service.subscribers.terminate(NUMBER);
    await h.runDue();
    await h.service.subscribers.add({ phoneNumber: NUMBER });
    h.clock.advance(MINUTE);
    await h.identify([item({ userCode: 'uc_after' })]);
    await h.runDue();
    await h.service.subscribers.terminate(NUMBER);
    await h.runDue();
    expect(notices(h.m1.events).map((n: any) => n.userCodes)).toEqual([['uc_first', 'uc_second'], ['uc_after']]);
    expect(notices(h.m2.events)).toHaveLength(1);
  });

  it('refuses to end a contract that is not active or a number it does not know', async () => {
    await h.service.subscribers.terminate(NUMBER);
    await expect(h.service.subscribers.terminate(NUMBER)).rejects.toThrow(SubscriberStateError);
    await expect(h.service.subscribers.portOut(NUMBER)).rejects.toThrow(SubscriberStateError);
    await expect(h.service.subscribers.terminate('+79009999999')).rejects.toThrow(SubscriberNotFoundError);
  });

  it('retries a notice on the schedule and records a delivery inside 24 hours as meeting the limit', async () => {
    // Attempts at 0, 5 s, 5 min 5 s, 35 min 5 s, 2 h 35 min 5 s, 7 h 35 min 5 s fail; the 7th, at 17 h 35 min 5 s, lands.
    h.m1.answers.push(...Array.from({ length: 6 }, () => ({ status: 500 })));
    const terminatedAt = h.clock.now();
    await h.service.subscribers.terminate(NUMBER);
    for (let i = 0; i < 24 * 12; i++) {
      h.clock.advance(5 * MINUTE);
      await h.runDue();
    }
    expect(h.m1.received.map((e) => e.answered)).toEqual([500, 500, 500, 500, 500, 500, 204]);
    const row = await h.db
      .selectFrom('termination_notices')
      .selectAll()
      .where('messenger_id', '=', 'm1')
      .executeTakeFirstOrThrow();
    expect(row.delivered_at! - terminatedAt).toBeLessThanOrEqual(24 * HOUR);
    expect(row.delivered_at! - terminatedAt).toBeGreaterThan(17 * HOUR);
    const item1 = (await h.service.report()).notices.items.find((i) => i.messengerId === 'm1');
    expect(item1?.metLimit).toBe(true);
  });

  it('reports a notice delivered after 24 hours, or still undelivered past them, as missing the limit', async () => {
    h.m1.answers.push(...Array.from({ length: 7 }, () => ({ status: 503 })));
    h.m2.answers.push(...Array.from({ length: 10 }, () => ({ status: 500 })));
    await h.service.subscribers.terminate(NUMBER);
    await h.runDue();
    expect((await h.service.report()).notices.items.map((i) => i.metLimit)).toEqual([null, null]);
    for (let i = 0; i < 40; i++) {
      h.clock.advance(HOUR);
      await h.runDue();
    }
    const report = await h.service.report();
    const byMessenger = Object.fromEntries(report.notices.items.map((i) => [i.messengerId, i]));
    expect(byMessenger.m1).toMatchObject({ metLimit: false, deliveredAt: expect.any(String) });
    expect(byMessenger.m1!.delayMs!).toBeGreaterThan(24 * HOUR);
    expect(byMessenger.m2).toMatchObject({ metLimit: false, deliveredAt: null, delayMs: null });
    expect(report.notices).toMatchObject({ withinLimit: 0, shareWithinLimit: 0, undelivered: 1 });
    const text = await h.service.reportText();
    expect(text).toContain('| NO |');
  });

  it('keeps a queued notice across a restart', async () => {
    await h.service.subscribers.terminate(NUMBER);
    await h.restart();
    h.clock.advance(SECOND);
    await h.runDue();
    expect(notices(h.m1.events)).toHaveLength(1);
    expect(notices(h.m2.events)).toHaveLength(1);
  });
});
