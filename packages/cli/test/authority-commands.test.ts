import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuthorityClient, AuthoritySigner } from '@signet/client/authority';
import { Database, silentLogger } from '@signet/common';
import { buildConfig, migrations, type Schema, SignetServer } from '@signet/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Run, signet as signetCommand } from './support';

describe('signet authority, audit and report commands', () => {
  let dir: string;
  let env: Record<string, string>;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'signet-authority-cli-'));
    env = { SIGNET_ENV: 'development', SIGNET_DATA_DIR: join(dir, 'data'), SIGNET_LOG_LEVEL: 'silent' };
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  const signet = (...args: string[]): Promise<Run> =>
    signetCommand(args, { env: { PATH: process.env.PATH ?? '', HOME: dir, ...env } });

  it('creates authorities whose key works once, lists and disables them, verifies the audit log, and reports', {
    timeout: 90_000,
  }, async () => {
    // Create: the credential goes to a new file, readable by its owner only.
    const keyFile = join(dir, 'court.json');
    const created = await signet(
      'authority',
      'create',
      '--name',
      'District Court',
      '--roles',
      'data-request,restriction',
      '--key-out',
      keyFile,
      '--admin',
      'alice',
      '--json',
    );
    expect(created.code, created.stderr).toBe(0);
    const { authority } = JSON.parse(created.stdout);
    expect(authority).toMatchObject({
      name: 'District Court',
      roles: ['data-request', 'restriction'],
      createdBy: 'alice',
    });
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    const credential = JSON.parse(readFileSync(keyFile, 'utf8'));
    expect(credential).toMatchObject({
      type: 'signet-authority-credential',
      authorityId: authority.id,
      publicKey: authority.publicKey,
    });
    // Never twice into the same file.
    const again = await signet('authority', 'create', '--name', 'Other', '--roles', 'mailing', '--key-out', keyFile);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('exists already');

    // Without a file, the credential is printed once on stdout, the explanation on stderr.
    const printed = await signet('authority', 'create', '--name', 'Ministry', '--roles', 'mailing');
    expect(printed.code, printed.stderr).toBe(0);
    expect(printed.stderr).toContain('shown this once');
    const ministry = JSON.parse(printed.stdout);
    expect(ministry).toMatchObject({ name: 'Ministry', roles: ['mailing'], privateKey: expect.any(String) });

    // The server holds only public keys, and a request signed with the handed-out key is accepted.
    const server = await SignetServer.create(buildConfig({ ...env, SIGNET_HOST: '127.0.0.1', SIGNET_PORT: '0' }), {
      logger: silentLogger(),
    });
    try {
      await server.listen();
      const stored = await server.ctx.db.db.selectFrom('authorities').selectAll().execute();
      expect(JSON.stringify(stored)).not.toContain(credential.privateKey);
      const client = new AuthorityClient({
        baseUrl: server.url,
        signer: await AuthoritySigner.fromCredential(credential),
      });
      expect(await client.me()).toEqual({
        authorityId: authority.id,
        name: 'District Court',
        roles: ['data-request', 'restriction'],
      });
      const answer = await client.dataRequest({
        legalBasis: { reference: 'Order 1/2026', text: 'identification data of the subscriber' },
        target: { phoneNumber: '+79001234567' },
      });
      expect(answer.accounts).toEqual([]);
    } finally {
      await server.close();
    }

    const disabled = await signet('authority', 'disable', ministry.authorityId, '--admin', 'bob', '--json');
    expect(disabled.code, disabled.stderr).toBe(0);
    expect(JSON.parse(disabled.stdout).authority).toMatchObject({ disabledBy: 'bob', disabledAt: expect.any(Number) });
    const list = await signet('authority', 'list', '--json');
    expect(JSON.parse(list.stdout).authorities.map((a: any) => [a.name, a.disabledAt === null])).toEqual([
      ['District Court', true],
      ['Ministry', false],
    ]);

    // The audit log holds the creations, the data request and answer, and the disabling, in one intact chain.
    const verified = await signet('audit', 'verify', '--json');
    expect(verified.code, verified.stderr).toBe(0);
    expect(JSON.parse(verified.stdout)).toMatchObject({ ok: true, checked: 5 });

    const today = new Date().toISOString().slice(0, 10);
    const out = join(dir, 'reports');
    const report = await signet('report', 'transparency', '--from', today, '--to', today, '--out', out, '--json');
    expect(report.code, report.stderr).toBe(0);
    const files = JSON.parse(report.stdout);
    expect(existsSync(files.markdown)).toBe(true);
    const counted = JSON.parse(readFileSync(files.json, 'utf8'));
    expect(counted.dataRequests).toMatchObject({ received: 1, answered: 1, answeredEmpty: 1 });
    expect(counted.authorities).toEqual({ created: 2, disabled: 1, refusedRequests: 0 });
    expect(readFileSync(files.markdown, 'utf8')).toContain('| Requests received | 1 |');

    // An edited entry breaks the chain there, and the command says so and fails.
    const db = Database.open<Schema>({ sqlitePath: join(dir, 'data', 'signet.db') });
    await db.migrate(migrations);
    await db.db.updateTable('audit_log').set({ payload: '{"name":"Someone else"}' }).where('seq', '=', 2).execute();
    await db.close();
    const broken = await signet('audit', 'verify');
    expect(broken.code).toBe(1);
    expect(broken.stdout).toContain('BROKEN at entry 2 (altered)');
  });
});
