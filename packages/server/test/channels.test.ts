import { sha256Hex, testDialects } from '@signet/common';
import {
  Channel,
  ChannelList,
  ChannelPost,
  type ChannelPostFrame,
  ChannelPostPage,
  type ChannelPostRemovedFrame,
  FollowedChannelList,
  ServerFrame,
} from '@signet/protocol';
import { Value } from 'typebox/value';
import { afterEach, describe, expect, it } from 'vitest';
import { createChannel as createChannelAs, postToChannel } from './channel-helpers';
import { TestServer } from './harness';
import { identifiedUser, setState, type User } from './messaging-helpers';
import { settle, TestSocket } from './ws-client';

describe.each(testDialects())('public channels (%s)', (dialect) => {
  let t: TestServer;
  const sockets: TestSocket[] = [];
  afterEach(async () => {
    for (const s of sockets.splice(0)) s.close();
    await t?.close();
  });

  async function start(env: Record<string, string> = {}) {
    t = await TestServer.start(dialect, { env });
  }

  const call = (method: string, path: string, user: User, body?: unknown) => t.request(method, path, body, user.token);

  const createChannel = (owner: User, handle = 'news', name = 'The News') =>
    createChannelAs(t, owner, { handle, name, description: 'Daily news' });
  const post = (owner: User, channel: string, text: string) => postToChannel(t, owner, channel, text);

  async function follow(user: User, channel: string) {
    const res = await call('PUT', `/v1/channels/${channel}/follow`, user);
    if (res.status !== 204) throw new Error(`follow failed: ${res.status} ${res.text}`);
  }

  async function open(user: User) {
    const socket = await TestSocket.open(t.url, user.token);
    sockets.push(socket);
    return socket;
  }

  const channelFrames = (socket: TestSocket) =>
    socket.frames.filter((f): f is ChannelPostFrame => f.type === 'channel.post');
  const removedFrames = (socket: TestSocket) =>
    socket.frames.filter((f): f is ChannelPostRemovedFrame => f.type === 'channel.post.removed');
  const page = async (user: User, channel: string, query = '') => {
    const res = await call('GET', `/v1/channels/${channel}/posts${query}`, user);
    expect(res.status).toBe(200);
    expect(Value.Check(ChannelPostPage, res.body)).toBe(true);
    return res.body as ChannelPostPage;
  };
  const followed = async (user: User) => {
    const res = await call('GET', '/v1/channels/followed', user);
    expect(res.status).toBe(200);
    expect(Value.Check(FollowedChannelList, res.body)).toBe(true);
    return (res.body as FollowedChannelList).channels;
  };

  it('creates a channel marked public and not encrypted, finds it by id, handle and search', async () => {
    await start();
    const owner = await identifiedUser(t, '+79001610001');
    const reader = await identifiedUser(t, '+79001610002');
    const created = await createChannel(owner, '@Daily_News', '  Daily News  ');
    expect(Value.Check(Channel, created)).toBe(true);
    expect(created).toMatchObject({
      handle: '@daily_news',
      name: 'Daily News',
      description: 'Daily news',
      public: true,
      encrypted: false,
      status: 'active',
      followers: 1,
      following: true,
      owned: true,
      createdAt: t.clock.now(),
    });

    const byId = await call('GET', `/v1/channels/${created.channelId}`, reader);
    expect(byId.status).toBe(200);
    expect(byId.body).toEqual({ ...created, following: false, owned: false });
    const byHandle = await call('GET', '/v1/channels/@DAILY_NEWS', reader);
    expect(byHandle.body.channelId).toBe(created.channelId);

    await createChannel(owner, 'weather', 'Weather 100%');
    for (const [q, handles] of [
      ['daily', ['@daily_news']],
      ['@WEATH', ['@weather']],
      ['100%', ['@weather']],
      ['_', ['@daily_news']],
      ['nothing', []],
    ] as const) {
      const found = await call('GET', `/v1/channels?q=${encodeURIComponent(q)}`, reader);
      expect(found.status).toBe(200);
      expect(Value.Check(ChannelList, found.body)).toBe(true);
      expect(found.body.channels.map((c: Channel) => c.handle)).toEqual(handles);
    }

    const taken = await call('POST', '/v1/channels', reader, { handle: 'DAILY_news', name: 'Mine' });
    expect(taken.status).toBe(409);
  });

  it('pushes a post live to an online follower, who reads it and then has nothing unread', async () => {
    await start();
    const owner = await identifiedUser(t, '+79001610011');
    const follower = await identifiedUser(t, '+79001610012');
    const stranger = await identifiedUser(t, '+79001610013');
    const channel = await createChannel(owner);
    await post(owner, channel.channelId, 'before the follow');
    await follow(follower, '@news');
    await follow(follower, '@news'); // twice is once
    expect((await call('GET', '/v1/channels/@news', stranger)).body.followers).toBe(2);

    const followerSocket = await open(follower);
    const ownerSocket = await open(owner);
    const strangerSocket = await open(stranger);
    const sent = await post(owner, '@news', 'hello followers');
    expect(Value.Check(ChannelPost, sent)).toBe(true);
    expect(sent).toMatchObject({
      channelId: channel.channelId,
      text: 'hello followers',
      contentSha256: sha256Hex('hello followers'),
      public: true,
      encrypted: false,
      status: 'visible',
    });

    await followerSocket.waitFor((f) => f.type === 'channel.post');
    await ownerSocket.waitFor((f) => f.type === 'channel.post');
    await settle();
    expect(channelFrames(followerSocket)).toEqual([{ type: 'channel.post', post: sent }]);
    expect(Value.Check(ServerFrame, channelFrames(followerSocket)[0])).toBe(true);
    expect(channelFrames(strangerSocket)).toEqual([]);

    // Posts from before the follow start out read; the owner's own posts are never unread to it.
    const [entry] = await followed(follower);
    expect(entry).toMatchObject({ channelId: channel.channelId, following: true, owned: false, unread: 1 });
    expect(entry?.lastPostAt).toBe(sent.createdAt);
    expect((await followed(owner))[0]).toMatchObject({ unread: 0, owned: true, readUpTo: sent.postId });
    expect(await followed(stranger)).toEqual([]);

    // Anyone signed in reads a public channel; newest first.
    const read = await page(stranger, channel.channelId);
    expect(read.posts.map((p) => p.text)).toEqual(['hello followers', 'before the follow']);
    expect(read.nextCursor).toBeNull();

    const mark = await call('PUT', '/v1/channels/@news/read', follower, { upTo: sent.postId + 1000 });
    expect(mark.status).toBe(204);
    expect((await followed(follower))[0]).toMatchObject({ unread: 0, readUpTo: sent.postId });
    await call('PUT', '/v1/channels/@news/read', follower, { upTo: 0 });
    expect((await followed(follower))[0]?.readUpTo).toBe(sent.postId);
    expect((await call('PUT', '/v1/channels/@news/read', stranger, { upTo: 1 })).status).toBe(404);

    // Unfollowing ends the live feed on the connection that is already open.
    expect((await call('DELETE', '/v1/channels/@news/follow', follower)).status).toBe(204);
    await post(owner, '@news', 'after the unfollow');
    await ownerSocket.waitFor((f) => f.type === 'channel.post' && f.post.text === 'after the unfollow');
    await settle();
    expect(channelFrames(followerSocket)).toHaveLength(1);
    expect((await call('GET', '/v1/channels/@news', stranger)).body.followers).toBe(1);
  });

  it('starts the live feed on an open connection when its account follows, on every device', async () => {
    await start();
    const owner = await identifiedUser(t, '+79001610021');
    const follower = await identifiedUser(t, '+79001610022');
    await createChannel(owner);
    const socket = await open(follower);
    await follow(follower, '@news');
    const sent = await post(owner, '@news', 'live');
    await socket.waitFor((f) => f.type === 'channel.post');
    expect(channelFrames(socket).map((f) => f.post.postId)).toEqual([sent.postId]);
  });

  it('holds live posts while the follower is not identified, and sends them again once it is', async () => {
    await start();
    const owner = await identifiedUser(t, '+79001610031');
    const follower = await identifiedUser(t, '+79001610032');
    await createChannel(owner);
    await follow(follower, '@news');
    const socket = await open(follower);
    await setState(t, follower.accountId, 'suspended');
    await post(owner, '@news', 'not to a suspended account');
    await settle();
    expect(channelFrames(socket)).toEqual([]);
    await setState(t, follower.accountId, 'identified');
    await post(owner, '@news', 'identified again');
    await socket.waitFor((f) => f.type === 'channel.post');
    expect(channelFrames(socket).map((f) => f.post.text)).toEqual(['identified again']);
  });

  it('refuses an unidentified account to create, follow or post', async () => {
    await start();
    const owner = await identifiedUser(t, '+79001610041');
    await createChannel(owner);
    const pending = await t.register('+79001610042');
    const user = { accountId: pending.accountId, deviceId: pending.deviceId, token: pending.token };
    for (const [method, path, body] of [
      ['POST', '/v1/channels', { handle: 'mine', name: 'Mine' }],
      ['PUT', '/v1/channels/@news/follow', undefined],
    ] as const) {
      const res = await call(method, path, user, body);
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('NOT_IDENTIFIED');
    }
    await setState(t, owner.accountId, 'suspended');
    const res = await call('POST', '/v1/channels/@news/posts', owner, { text: 'hi' });
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('NOT_IDENTIFIED');
    expect((await page(user, '@news')).posts).toEqual([]);
  });

  it('lets only the owner post and delete; a deleted post is gone for followers, live too', async () => {
    await start();
    const owner = await identifiedUser(t, '+79001610051');
    const other = await identifiedUser(t, '+79001610052');
    await createChannel(owner);
    await follow(other, '@news');
    const refused = await call('POST', '/v1/channels/@news/posts', other, { text: 'let me in' });
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('PERMISSION_DENIED');

    const sent = await post(owner, '@news', 'oops');
    const socket = await open(other);
    expect((await call('DELETE', `/v1/channels/@news/posts/${sent.postId}`, other)).status).toBe(403);
    expect((await call('DELETE', `/v1/channels/@news/posts/${sent.postId}`, owner)).status).toBe(204);
    expect((await call('DELETE', `/v1/channels/@news/posts/${sent.postId}`, owner)).status).toBe(404);
    await socket.waitFor((f) => f.type === 'channel.post.removed');
    expect(removedFrames(socket)).toEqual([
      { type: 'channel.post.removed', channelId: sent.channelId, postId: sent.postId, reason: 'deleted' },
    ]);
    expect((await page(other, '@news')).posts).toEqual([]);
    expect((await followed(other))[0]?.unread).toBe(0);
  });

  it('refuses invalid input and unknown channels', async () => {
    await start();
    const owner = await identifiedUser(t, '+79001610061');
    await createChannel(owner);
    for (const body of [
      { handle: 'empty', name: '' },
      { handle: 'blank', name: '   ' },
      { handle: 'long', name: 'x'.repeat(65) },
      { handle: 'a', name: 'Too short a handle' },
      { handle: '1abc', name: 'Starts with a digit' },
      { handle: 'has-dash', name: 'Dash' },
      { handle: 'extra', name: 'Extra', owner: 'me' },
      { name: 'No handle' },
    ]) {
      const res = await call('POST', '/v1/channels', owner, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.code).toBe('INVALID_ARGUMENT');
    }
    expect((await call('POST', '/v1/channels', owner, { handle: 'max', name: 'x'.repeat(64) })).status).toBe(201);

    expect((await call('POST', '/v1/channels/@news/posts', owner, { text: 'x'.repeat(4097) })).status).toBe(400);
    expect((await call('POST', '/v1/channels/@news/posts', owner, { text: '' })).status).toBe(400);
    expect((await call('POST', '/v1/channels/@news/posts', owner, { text: ' \n ' })).status).toBe(400);
    expect((await call('POST', '/v1/channels/@news/posts', owner, { text: 'é'.repeat(4096) })).status).toBe(201);
    expect((await call('GET', '/v1/channels/@news/posts?before=1&after=2', owner)).status).toBe(400);
    expect((await call('GET', '/v1/channels/@news/posts?limit=ten', owner)).status).toBe(400);

    for (const [method, path, body] of [
      ['GET', '/v1/channels/@nobody', undefined],
      ['GET', '/v1/channels/ch_nothing', undefined],
      ['GET', '/v1/channels/@nobody/posts', undefined],
      ['PUT', '/v1/channels/@nobody/follow', undefined],
      ['DELETE', '/v1/channels/@nobody/follow', undefined],
      ['POST', '/v1/channels/@nobody/posts', { text: 'hi' }],
      ['DELETE', '/v1/channels/@nobody/posts/1', undefined],
    ] as const) {
      const res = await call(method, path, owner, body);
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(res.body.code).toBe('NOT_FOUND');
    }
    expect((await t.request('GET', '/v1/channels/@news')).status).toBe(401);

    const doc = await t.request('GET', '/openapi.json');
    expect(Object.keys(doc.body.paths)).toEqual(
      expect.arrayContaining(['/v1/channels', '/v1/channels/{channel}/posts', '/v1/channels/{channel}/posts/{postId}']),
    );
  });

  it('pages through posts newest first with a cursor, and oldest first after a cursor', async () => {
    await start();
    const owner = await identifiedUser(t, '+79001610071');
    const reader = await identifiedUser(t, '+79001610072');
    await createChannel(owner);
    const sent: ChannelPost[] = [];
    for (let i = 1; i <= 25; i++) {
      t.clock.advance(1000);
      sent.push(await post(owner, '@news', `post ${i}`));
    }
    const texts: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const p: ChannelPostPage = await page(reader, '@news', `?limit=10${cursor ? `&before=${cursor}` : ''}`);
      texts.push(...p.posts.map((x) => x.text));
      cursor = p.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(texts).toEqual(sent.map((p) => p.text).reverse());

    const newer = await page(reader, '@news', `?after=${sent[19]?.postId}&limit=3`);
    expect(newer.posts.map((p) => p.text)).toEqual(['post 21', 'post 22', 'post 23']);
    const rest = await page(reader, '@news', `?after=${newer.nextCursor}`);
    expect(rest.posts.map((p) => p.text)).toEqual(['post 24', 'post 25']);
    expect(rest.nextCursor).toBeNull();
    expect((await page(reader, '@news', '?limit=500')).posts).toHaveLength(25);
  });

  it('rate-limits channel creation and posting per account', async () => {
    await start({ SIGNET_LIMIT_CHANNEL_CREATE: '2/1d', SIGNET_LIMIT_CHANNEL_POST: '3/1h' });
    const owner = await identifiedUser(t, '+79001610081');
    await createChannel(owner, 'one');
    await createChannel(owner, 'two');
    const third = await call('POST', '/v1/channels', owner, { handle: 'three', name: 'Three' });
    expect(third.status).toBe(429);
    expect(third.headers.get('retry-after')).not.toBeNull();
    for (let i = 0; i < 3; i++) await post(owner, '@one', `p${i}`);
    expect((await call('POST', '/v1/channels/@two/posts', owner, { text: 'one too many' })).status).toBe(429);
  });

  it('restricts a post or a channel on an order, finds posts by fingerprint, and lifts the restriction', async () => {
    await start();
    const owner = await identifiedUser(t, '+79001610091');
    const follower = await identifiedUser(t, '+79001610092');
    const channel = await createChannel(owner);
    await follow(follower, '@news');
    const socket = await open(follower);
    const bad = await post(owner, '@news', 'unlawful text');
    const good = await post(owner, '@news', 'fine text');
    const { restrictions } = t.ctx.channels;

    expect(await restrictions.findPostsByFingerprint(sha256Hex('unlawful text'))).toEqual([
      {
        postId: bad.postId,
        channelId: channel.channelId,
        ownerAccountId: owner.accountId,
        status: 'visible',
        createdAt: bad.createdAt,
      },
    ]);
    expect(await restrictions.restrictPost(bad.postId, 'order-1')).toEqual({
      channelId: channel.channelId,
      postId: bad.postId,
      ownerAccountId: owner.accountId,
      orderRef: 'order-1',
      changed: true,
    });
    expect((await restrictions.restrictPost(bad.postId, 'order-2'))?.orderRef).toBe('order-1');
    expect(await restrictions.restrictPost(999_999, 'order-3')).toBeUndefined();
    await socket.waitFor((f) => f.type === 'channel.post.removed');
    expect(removedFrames(socket)[0]).toMatchObject({ postId: bad.postId, reason: 'restricted' });
    expect((await page(follower, '@news')).posts.map((p) => p.text)).toEqual(['fine text']);
    expect((await page(owner, '@news')).posts.map((p) => [p.text, p.status])).toEqual([
      ['fine text', 'visible'],
      ['unlawful text', 'restricted'],
    ]);
    expect((await restrictions.findPostsByFingerprint(bad.contentSha256))[0]?.status).toBe('restricted');
    expect(await restrictions.liftRestriction({ postId: bad.postId }, 'order-2')).toBe(false);
    expect(await restrictions.liftRestriction({ postId: bad.postId }, 'order-1')).toBe(true);
    expect((await page(follower, '@news')).posts.map((p) => p.postId)).toEqual([good.postId, bad.postId]);

    expect((await restrictions.restrictChannel(channel.channelId, 'order-4'))?.changed).toBe(true);
    for (const path of ['/v1/channels/@news', '/v1/channels/@news/posts']) {
      const res = await call('GET', path, follower);
      expect(res.status).toBe(451);
      expect(res.body.code).toBe('RESTRICTED');
    }
    expect((await call('PUT', '/v1/channels/@news/follow', follower)).status).toBe(451);
    expect((await call('GET', '/v1/channels?q=news', follower)).body.channels).toEqual([]);
    expect(await followed(follower)).toEqual([]);
    expect((await call('POST', '/v1/channels/@news/posts', owner, { text: 'still here?' })).status).toBe(451);
    expect((await call('GET', '/v1/channels/@news', owner)).body.status).toBe('restricted');
    expect((await followed(owner))[0]?.status).toBe('restricted');

    expect(await restrictions.liftRestriction({ channelId: channel.channelId }, 'order-4')).toBe(true);
    expect((await call('GET', '/v1/channels/@news', follower)).body.status).toBe('active');
    expect((await followed(follower)).map((c) => c.channelId)).toEqual([channel.channelId]);
  });

  it('removes the channels and follows of a deleted account', async () => {
    await start();
    const owner = await identifiedUser(t, '+79001610101');
    const follower = await identifiedUser(t, '+79001610102');
    await createChannel(owner);
    await post(owner, '@news', 'soon gone');
    await follow(follower, '@news');
    expect((await call('DELETE', '/v1/account', owner)).status).toBe(204);
    expect((await call('GET', '/v1/channels/@news', follower)).status).toBe(404);
    expect(await followed(follower)).toEqual([]);
    const left = await t.ctx.db.db.selectFrom('channel_posts').select('id').execute();
    expect(left).toEqual([]);
  });
});
