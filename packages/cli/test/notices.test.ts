import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliServer, signet } from './support';

describe('signet notices and signet authority mail', () => {
  const cli = cliServer('signet-cli-notices-', { realTime: true });

  it('signs and sends a notice with the credential file; the reader sees it verified, muted, altered', {
    timeout: 240_000,
  }, async () => {
    const { t, home, as, registered } = cli;
    await registered('reader', '+79001640001');
    await registered('outsider', '+79501640002');
    const { authority, privateKey } = await t.ctx.authority.admin.create({
      name: 'Ministry of Emergencies',
      roles: ['mailing'],
      by: 'test',
    });
    const key = cli.credentialFile('ministry.json', {
      authorityId: authority.id,
      privateKey,
      name: authority.name,
      roles: authority.roles,
    });
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
