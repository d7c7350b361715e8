import { describe, expect, it } from 'vitest';
import { identifiedUser } from '../../server/test/messaging-helpers';
import { cliServer, signet } from './support';

describe('signet authority order', () => {
  const cli = cliServer('signet-cli-orders-', { realTime: true });

  it('issues an order with the credential file, lists it, shows its trail and revokes it', {
    timeout: 120_000,
  }, async () => {
    const { t } = cli;
    const owner = await identifiedUser(t, '+79001650001');
    const created = await t.request('POST', '/v1/channels', { handle: 'news', name: 'News' }, owner.token);
    expect(created.status).toBe(201);
    const posted = await t.request('POST', '/v1/channels/@news/posts', { text: 'unlawful text' }, owner.token);
    const { authority, privateKey } = await t.ctx.authority.admin.create({
      name: 'District Court',
      roles: ['restriction'],
      by: 'test',
    });
    const key = cli.credentialFile('court.json', { authorityId: authority.id, privateKey });
    const withKey = ['--key', key, '--server', t.url];
    const basis = ['--reference', 'Case 2-77/2026', '--basis', 'Article 15.1: unlawful information'];

    const twoTargets = await signet(['authority', 'order', ...withKey, ...basis, '--post', '1', '--channel', 'ch_x']);
    expect(twoTargets.code).toBe(1);
    expect(twoTargets.stderr).toContain('name exactly one target');

    const issued = await signet(['authority', 'order', ...withKey, ...basis, '--text', 'unlawful text', '--json']);
    expect(issued.code, issued.stderr).toBe(0);
    const { order } = issued.json[0];
    expect(order).toMatchObject({ status: 'active', action: 'block', postsRestricted: 1 });
    const page = await t.request('GET', '/v1/channels/@news/posts', undefined, owner.token);
    expect(page.body.posts).toMatchObject([{ postId: posted.body.postId, status: 'restricted' }]);

    const listed = await signet(['authority', 'orders', ...withKey]);
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toContain(`${order.orderId}  active  block content_fingerprint`);

    const revoked = await signet(['authority', 'order-revoke', order.orderId, ...withKey, '--reason', 'appeal']);
    expect(revoked.code, revoked.stderr).toBe(0);
    expect(revoked.stdout).toContain(`${order.orderId}  revoked`);
    const shown = await signet(['authority', 'order-show', order.orderId, ...withKey]);
    expect(shown.stdout).toContain('restriction.issued');
    expect(shown.stdout).toContain('restriction.revoked');
  });
});
