import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestServer } from '../../server/test/harness';
import { identifiedUser } from '../../server/test/messaging-helpers';

const BIN = resolve(import.meta.dirname, '../bin/signet.mjs');

/** Runs `signet …` and answers its exit code, its output and the JSON lines it printed. */
function signet(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string; json: any[] }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { ...process.env, SIGNET_SERVER: '', SIGNET_HOME: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 40_000);
    child.on('error', fail);
    child.on('close', (code) => {
      clearTimeout(timer);
      const json = stdout
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l));
      done({ code, stdout, stderr, json });
    });
  });
}

describe('signet authority order', () => {
  let t: TestServer;
  let home: string;
  beforeAll(async () => {
    t = await TestServer.start('sqlite');
    // Signed authority requests carry the real time: the server's clock must agree.
    t.clock.advance(Date.now() - t.clock.now());
    home = mkdtempSync(join(tmpdir(), 'signet-cli-orders-'));
  });
  afterAll(async () => {
    await t?.close();
    rmSync(home, { recursive: true, force: true });
  });

  it('issues an order with the credential file, lists it, shows its trail and revokes it', {
    timeout: 120_000,
  }, async () => {
    const owner = await identifiedUser(t, '+79001650001');
    const created = await t.request('POST', '/v1/channels', { handle: 'news', name: 'News' }, owner.token);
    expect(created.status).toBe(201);
    const posted = await t.request('POST', '/v1/channels/@news/posts', { text: 'unlawful text' }, owner.token);
    const { authority, privateKey } = await t.ctx.authority.admin.create({
      name: 'District Court',
      roles: ['restriction'],
      by: 'test',
    });
    const key = join(home, 'court.json');
    writeFileSync(
      key,
      JSON.stringify({ type: 'signet-authority-credential', version: 1, authorityId: authority.id, privateKey }),
    );
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
