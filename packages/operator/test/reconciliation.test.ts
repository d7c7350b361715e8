import { testDialects } from '@signet/common';
import { RegistrationPage } from '@signet/protocol';
import { Value } from 'typebox/value';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Harness, item } from './harness';

describe.each(testDialects())('reconciliation listing (%s)', (dialect) => {
  let h: Harness;
  const t0 = Date.parse('2026-11-29T10:00:00Z');
  beforeEach(async () => {
    h = await Harness.start(dialect);
    for (const n of ['+79001234567', '+79001234568', '+79001234569'])
      await h.service.subscribers.add({ phoneNumber: n });
  });
  afterEach(async () => {
    await h.close();
  });

  /** Confirms these codes for m1 at the current clock time. */
  const confirm = async (codes: string[], phoneNumber = '+79001234567', as = h.m1) => {
    await h.identify(
      codes.map((userCode) => item({ userCode, phoneNumber })),
      { as },
    );
    await h.runDue();
  };
  const list = (query: string) => h.m1.get(h.url, `/v1/registrations?messengerId=m1${query}`);

  it("lists only the signing messenger's confirmed registrations, ordered by changedAt then userCode code points", async () => {
    await confirm(['uc_b', 'uc_B', 'uc_a', 'uc_A', 'uc_0', 'uc_-', 'uc__']);
    h.clock.advance(1000);
    await confirm(['uc_Z']);
    await h.identify([item({ userCode: 'uc_denied', phoneNumber: '+79009999999' })]);
    await h.runDue();
    await confirm(['uc_of_m2'], '+79001234567', h.m2);

    const res = await list('');
    expect(res.status).toBe(200);
    expect(Value.Check(RegistrationPage, res.body)).toBe(true);
    expect(res.body.nextCursor).toBeNull();
    expect(res.body.registrations.map((r: any) => r.userCode)).toEqual([
      'uc_-',
      'uc_0',
      'uc_A',
      'uc_B',
      'uc__',
      'uc_a',
      'uc_b',
      'uc_Z',
    ]);
    expect(res.body.registrations[0]).toEqual({
      userCode: 'uc_-',
      phoneNumber: '+79001234567',
      status: 'active',
      changedAt: '2026-11-29T10:00:00.000Z',
    });
  });

  it('pages with limit and cursor through every registration exactly once', async () => {
    const codes = Array.from({ length: 7 }, (_, i) => `uc_${String.fromCharCode(65 + i)}`);
    await confirm(codes.slice(0, 4));
    h.clock.advance(5);
    await confirm(codes.slice(4), '+79001234568');
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: any = await list(`&limit=3${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(page.status).toBe(200);
      expect(page.body.registrations.length).toBeLessThanOrEqual(3);
      seen.push(...page.body.registrations.map((r: any) => r.userCode));
      cursor = page.body.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toEqual(codes);
    // A page that ends exactly at the last registration has no next cursor.
    const exact = await list('&limit=7');
    expect(exact.body.nextCursor).toBeNull();
  });

  it('defaults to 1000 a page', async () => {
    await h.identify(Array.from({ length: 1000 }, () => item()));
    await h.identify(Array.from({ length: 5 }, () => item()));
    await h.runDue();
    const first = await list('');
    expect(first.body.registrations).toHaveLength(1000);
    const rest = await list(`&cursor=${encodeURIComponent(first.body.nextCursor)}`);
    expect(rest.body.registrations).toHaveLength(5);
    expect(rest.body.nextCursor).toBeNull();
  });

  it('takes changedSince inclusively, compared as an instant whatever its notation', async () => {
    await confirm(['uc_early']);
    h.clock.advance(60_000);
    await confirm(['uc_late']);
    const at = new Date(t0 + 60_000).toISOString();
    for (const since of [at, '2026-11-29T10:01:00Z', '2026-11-29T13:01:00+03:00', '2026-11-29T10:00:59.9999Z']) {
      const res = await list(`&changedSince=${encodeURIComponent(since)}`);
      expect(res.status).toBe(200);
      expect(res.body.registrations.map((r: any) => r.userCode)).toEqual(['uc_late']);
    }
    expect((await list('&changedSince=2026-11-29T10:01:00.0001Z')).body.registrations).toEqual([]);
    expect((await list('&changedSince=2026-11-29T09:00:00Z')).body.registrations).toHaveLength(2);
  });

  it('shows a registration ended by termination as terminated, changed at the termination', async () => {
    await confirm(['uc_x']);
    h.clock.advance(3_600_000);
    await h.service.subscribers.terminate('+79001234567');
    const res = await list(`&changedSince=${encodeURIComponent(new Date(h.clock.now()).toISOString())}`);
    expect(res.body.registrations).toEqual([
      {
        userCode: 'uc_x',
        phoneNumber: '+79001234567',
        status: 'terminated',
        changedAt: new Date(h.clock.now()).toISOString(),
      },
    ]);
  });

  it('answers 400 to a limit out of range, a cursor it did not issue, or a bad changedSince', async () => {
    await confirm(['uc_a', 'uc_b']);
    for (const q of [
      '&limit=0',
      '&limit=1001',
      '&limit=abc',
      '&limit=',
      '&limit=1.5',
      '&limit=-1',
      '&limit=1&limit=2',
    ]) {
      const res = await list(q);
      expect(res.status, q).toBe(400);
      expect(res.body.code).toBe('INVALID_ARGUMENT');
    }
    for (const q of ['&cursor=nonsense', '&cursor=', '&changedSince=yesterday', '&changedSince=2026-02-30T00:00:00Z']) {
      expect((await list(q)).status, q).toBe(400);
    }
    // A genuine cursor, but issued to another messenger.
    await confirm(['uc_c', 'uc_d'], '+79001234569', h.m2);
    const m2page = await h.m2.get(h.url, '/v1/registrations?messengerId=m2&limit=1');
    expect(m2page.body.nextCursor).toEqual(expect.any(String));
    expect((await list(`&cursor=${encodeURIComponent(m2page.body.nextCursor)}`)).status).toBe(400);
    // A forged one: a real cursor with its position changed.
    const mine = await list('&limit=1');
    const [payload, tag] = String(mine.body.nextCursor).split('.');
    const moved = Buffer.from(JSON.stringify([0, 'uc_', '+7'])).toString('base64url');
    expect(payload).not.toBe(moved);
    expect((await list(`&cursor=${moved}.${tag}`)).status).toBe(400);
  });

  it('answers 401 to a listing without messengerId, before looking at anything else', async () => {
    expect((await h.m1.get(h.url, '/v1/registrations')).status).toBe(401);
    expect((await h.m1.get(h.url, '/v1/registrations?limit=0')).status).toBe(401);
    expect((await h.m1.get(h.url, '/v1/registrations?messengerId=m1&limit=0', { nowMs: 0 })).status).toBe(401);
  });
});
