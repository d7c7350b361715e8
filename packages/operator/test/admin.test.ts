import { testDialects } from '@signet/common';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, Harness, item } from './harness';

describe.each(testDialects())('admin API (%s)', (dialect) => {
  let h: Harness;
  beforeEach(async () => {
    h = await Harness.start(dialect);
  });
  afterEach(async () => {
    await h.close();
  });

  it('refuses requests without the admin token or with another one', async () => {
    const none = await fetch(`${h.url}/admin/v1/report`);
    expect(none.status).toBe(401);
    expect(await none.json()).toMatchObject({ status: 401, code: 'UNAUTHENTICATED' });
    const wrong = await fetch(`${h.url}/admin/v1/report`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}x` } });
    expect(wrong.status).toBe(401);
    // A messenger's signature is no admin credential.
    const signed = await h.m1.get(h.url, '/admin/v1/report?messengerId=m1');
    expect(signed.status).toBe(401);
  });

  it('is off without a configured token', async () => {
    await h.close();
    h = await Harness.start(dialect, { config: { adminTokenHash: undefined } });
    const res = await fetch(`${h.url}/admin/v1/report`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    expect(res.status).toBe(404);
  });

  it('adds, shows, terminates and ports out subscribers', async () => {
    const added = await h.admin('POST', '/admin/v1/subscribers', { phoneNumber: '+79001234567' });
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ outcome: 'created', subscriber: { status: 'active', identityComplete: true } });
    expect((await h.admin('POST', '/admin/v1/subscribers', { phoneNumber: '+79001234567' })).status).toBe(409);
    expect((await h.admin('POST', '/admin/v1/subscribers', { phoneNumber: '89001234567' })).status).toBe(400);
    expect((await h.admin('POST', '/admin/v1/subscribers', { phone: '+79001234567' })).status).toBe(400);

    await h.identify([item({ userCode: 'uc_one' })]);
    await h.runDue();
    const shown = await h.admin('GET', `/admin/v1/subscribers/${encodeURIComponent('+79001234567')}`);
    expect(shown.body.registrations).toMatchObject([{ messengerId: 'm1', userCode: 'uc_one', status: 'active' }]);

    const ended = await h.admin('POST', `/admin/v1/subscribers/${encodeURIComponent('+79001234567')}/terminate`);
    expect(ended.status).toBe(200);
    expect(ended.body.notices).toMatchObject([
      { messengerId: 'm1', userCodes: ['uc_one'], reason: 'contract_terminated' },
    ]);
    expect(
      (await h.admin('POST', `/admin/v1/subscribers/${encodeURIComponent('+79001234567')}/terminate`)).status,
    ).toBe(409);
    expect((await h.admin('POST', `/admin/v1/subscribers/${encodeURIComponent('+79009999999')}/port-out`)).status).toBe(
      404,
    );

    await h.admin('POST', '/admin/v1/subscribers', { phoneNumber: '+79001000002', identityComplete: false });
    const ported = await h.admin('POST', `/admin/v1/subscribers/${encodeURIComponent('+79001000002')}/port-out`);
    expect(ported.status).toBe(200);
    expect(ported.body.notices).toEqual([]);
    const after = await h.admin('GET', `/admin/v1/subscribers/${encodeURIComponent('+79001000002')}`);
    expect(after.body).toMatchObject({ status: 'ported_out', identityComplete: false });
  });

  it('imports a CSV and reports problems by line', async () => {
    const csv = [
      'phoneNumber,status,identityComplete',
      '+79001000001,active,true',
      '+79001000002,active,false',
      'not-a-number,active,true',
      '+79001000003,ported_out,true',
      '+79001000004,gone,true',
      '',
      '+79001000005,terminated,no',
    ].join('\r\n');
    const res = await h.admin('POST', '/admin/v1/subscribers/import', csv);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ rows: 6, created: 4, errorCount: 2 });
    expect(res.body.errors.map((e: any) => e.line)).toEqual([4, 6]);
    const shown = await h.admin('GET', `/admin/v1/subscribers/${encodeURIComponent('+79001000005')}`);
    expect(shown.body).toMatchObject({ status: 'terminated', identityComplete: false });
  });

  it('gives the service-level report as JSON and as Markdown', async () => {
    await h.admin('POST', '/admin/v1/subscribers', { phoneNumber: '+79001234567' });
    await h.identify([
      item({
        requestedAt: new Date(h.clock.now() - 30_000).toISOString(),
        possessionVerifiedAt: '2026-11-29T09:00:00Z',
      }),
    ]);
    h.clock.advance(25 * 60_000);
    await h.identify([item({ requestedAt: new Date(h.clock.now()).toISOString() })]);
    await h.runDue();
    const json = await h.admin('GET', '/admin/v1/report');
    expect(json.body.answers).toMatchObject({
      decided: 2,
      pending: 0,
      withinTarget: 1,
      late: 1,
      shareWithinTarget: 0.5,
    });
    const buckets = json.body.answers.histogram;
    expect(buckets.reduce((n: number, b: any) => n + b.count, 0)).toBe(2);
    const md = await fetch(`${h.url}/admin/v1/report?format=markdown`, {
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    expect(md.headers.get('content-type')).toMatch(/^text\/markdown/);
    const text = await md.text();
    expect(text).toContain('# Service levels of operator test-operator');
    expect(text).toContain('50.0 %');
  });

  it('never writes a secret or the admin token to its logs', async () => {
    await h.admin('POST', '/admin/v1/subscribers', { phoneNumber: '+79001234567' });
    h.m1.answers.push({ status: 500 });
    await h.identify([item()]);
    await h.runDue();
    await h.m1.post(h.url, '/v1/identifications', 'not json');
    await h.admin('POST', `/admin/v1/subscribers/${encodeURIComponent('+79001234567')}/terminate`);
    h.clock.advance(10_000);
    await h.runDue();
    const all = h.logs.join('\n');
    expect(h.logs.length).toBeGreaterThan(3);
    for (const secret of [...h.m1.secrets, ...h.m2.secrets]) {
      expect(all).not.toContain(secret);
      expect(all).not.toContain(secret.slice(6));
    }
    expect(all).not.toContain(ADMIN_TOKEN);
  });
});
