import { describe, expect, it } from 'vitest';
import { cliServer, signet } from './support';

describe('signet channel commands', () => {
  const { as, registered } = cliServer('signet-cli-channel-');

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
