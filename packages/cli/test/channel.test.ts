import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestServer } from '../../server/test/harness';

const BIN = resolve(import.meta.dirname, '../bin/signet.mjs');

/** Runs `signet …` and answers its exit code and the JSON lines it printed. */
function signet(args: string[]): Promise<{ code: number | null; stderr: string; json: any[] }> {
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
      done({ code, stderr, json });
    });
  });
}

describe('signet channel commands', () => {
  let t: TestServer;
  let home: string;
  beforeAll(async () => {
    t = await TestServer.start('sqlite');
    home = mkdtempSync(join(tmpdir(), 'signet-cli-channel-'));
  });
  afterAll(async () => {
    await t?.close();
    rmSync(home, { recursive: true, force: true });
  });

  const as = (who: string, ...args: string[]) => [...args, '--json', '--server', t.url, '--profile', join(home, who)];

  async function registered(who: string, phone: string): Promise<string> {
    const run = await signet(as(who, 'register', phone, '--dev-code'));
    expect(run.code, run.stderr).toBe(0);
    const accountId = run.json[0].accountId as string;
    await t.ctx.db.db.updateTable('accounts').set({ state: 'identified' }).where('id', '=', accountId).execute();
    return accountId;
  }

  it('creates, follows, posts, reads and lists channels', { timeout: 240_000 }, async () => {
    await registered('owner', '+79001630001');
    await registered('reader', '+79001630002');

    const created = await signet(as('owner', 'channel', 'create', '@town', 'Town', 'hall', '--description', 'Notes'));
    expect(created.code, created.stderr).toBe(0);
    expect(created.json[0].created).toMatchObject({
      handle: '@town',
      name: 'Town hall',
      public: true,
      encrypted: false,
    });

    expect((await signet(as('reader', 'channel', 'follow', '@town'))).code).toBe(0);
    const posted = await signet(as('owner', 'channel', 'post', '@town', 'the', 'road', 'is', 'closed'));
    expect(posted.code, posted.stderr).toBe(0);
    expect(posted.json[0].post).toMatchObject({ text: 'the road is closed', encrypted: false });

    const unread = await signet(as('reader', 'channel', 'list'));
    expect(unread.json[0].channels).toMatchObject([{ handle: '@town', unread: 1, following: true }]);
    const read = await signet(as('reader', 'channel', 'read', '@town'));
    expect(read.code, read.stderr).toBe(0);
    expect(read.json[0].posts.map((p: { text: string }) => p.text)).toEqual(['the road is closed']);
    expect((await signet(as('reader', 'channel', 'list'))).json[0].channels[0].unread).toBe(0);

    const found = await signet(as('reader', 'channel', 'list', '--search', 'town'));
    expect(found.json[0].channels.map((c: { handle: string }) => c.handle)).toEqual(['@town']);

    const refused = await signet(as('reader', 'channel', 'post', '@town', 'me', 'too'));
    expect(refused.code).toBe(1);
    expect(refused.json[0].error.code).toBe('PERMISSION_DENIED');

    expect((await signet(as('reader', 'channel', 'unfollow', '@town'))).code).toBe(0);
    expect((await signet(as('reader', 'channel', 'list'))).json[0].channels).toEqual([]);
  });
});
