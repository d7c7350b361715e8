import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestServer } from '../../server/test/harness';

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

describe('signet notices and signet authority mail', () => {
  let t: TestServer;
  let home: string;
  beforeAll(async () => {
    t = await TestServer.start('sqlite');
    // Signed authority requests carry the real time: the server's clock must agree.
    t.clock.advance(Date.now() - t.clock.now());
    home = mkdtempSync(join(tmpdir(), 'signet-cli-notices-'));
  });
  afterAll(async () => {
    await t?.close();
    rmSync(home, { recursive: true, force: true });
  });

  const as = (who: string, ...args: string[]) => [...args, '--json', '--server', t.url, '--profile', join(home, who)];

  async function registered(who: string, phone: string): Promise<void> {
    const run = await signet(as(who, 'register', phone, '--dev-code'));
    expect(run.code, run.stderr).toBe(0);
    await t.ctx.db.db
      .updateTable('accounts')
      .set({ state: 'identified' })
      .where('id', '=', run.json[0].accountId)
      .execute();
  }

  it('signs and sends a notice with the credential file; the reader sees it verified, muted, altered', {
    timeout: 240_000,
  }, async () => {
    await registered('reader', '+79001640001');
    await registered('outsider', '+79501640002');
    const { authority, privateKey } = await t.ctx.authority.admin.create({
      name: 'Ministry of Emergencies',
      roles: ['mailing'],
      by: 'test',
    });
    const key = join(home, 'ministry.json');
    const credential = { type: 'signet-authority-credential', version: 1, authorityId: authority.id, privateKey };
    writeFileSync(key, JSON.stringify({ ...credential, name: authority.name, roles: authority.roles }));
    const mailArgs = ['authority', 'mail', '--key', key, '--server', t.url];

    const mailed = await signet([
      ...mailArgs,
      '--title',
      'Storm warning',
      '--body',
      'Stay indoors tonight.',
      '--prefix',
      '+7900',
      '--prefix',
      '+7901',
      '--json',
    ]);
    expect(mailed.code, mailed.stderr).toBe(0);
    const { mailing } = mailed.json[0];
    expect(mailing).toMatchObject({
      authorityId: authority.id,
      notice: { title: 'Storm warning', audience: { prefixes: ['+7900', '+7901'] } },
      counts: { audience: 1 },
    });

    const read = await signet(as('reader', 'notices'));
    expect(read.code, read.stderr).toBe(0);
    expect(read.json[0].notices).toMatchObject([
      {
        noticeId: mailing.mailingId,
        notice: { title: 'Storm warning', body: 'Stay indoors tonight.' },
        authority: { name: 'Ministry of Emergencies' },
        verification: 'verified',
      },
    ]);
    expect(read.json[0].state).toMatchObject({ unread: 0, readUpTo: mailing.mailingId, muted: false });
    expect((await signet(as('outsider', 'notices'))).json[0].notices).toEqual([]);

    const listed = await signet(['authority', 'mailings', '--key', key, '--server', t.url, '--json']);
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.json[0].mailings[0].counts).toEqual({ audience: 1, delivered: 1, read: 1 });

    const muted = await signet(as('reader', 'notices', '--mute'));
    expect(muted.json[0].state.muted).toBe(true);

    // Altered on the server after signing: shown as not official, and the command says so in its exit code.
    await t.ctx.db.db.updateTable('mailings').set({ body: 'Go outside tonight.' }).execute();
    const human = await signet(['notices', '--server', t.url, '--profile', join(home, 'reader')]);
    expect(human.code).toBe(3);
    expect(human.stdout).toContain('Official notices (read-only, muted)');
    expect(human.stdout).toContain('SIGNATURE DOES NOT MATCH');

    const withdrawn = await signet([
      ...mailArgs.slice(0, 1),
      'withdraw',
      String(mailing.mailingId),
      ...mailArgs.slice(2),
    ]);
    expect(withdrawn.code, withdrawn.stderr).toBe(0);
    expect(withdrawn.stdout).toContain('[withdrawn');
    expect((await signet(as('reader', 'notices'))).json[0].notices).toEqual([]);
  });
});
