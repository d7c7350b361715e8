import { testDialects } from '@signet/common';
import type { ChannelPost } from '@signet/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { SignetApiError } from '../src';
import { type Device, identifiedUser, TestServer, waitFor } from './scenario-helpers';

describe.each(testDialects())('public channels through the SDK (%s)', (dialect) => {
  let t: TestServer;
  const devices: Device[] = [];
  afterEach(async () => {
    for (const d of devices.splice(0)) d.client.stop();
    await t?.close();
  });

  async function user(phone: string) {
    const d = await identifiedUser(t, phone);
    devices.push(d);
    return d;
  }

  it('creates a channel, follows it, gets a post live and reads it back', async () => {
    t = await TestServer.start(dialect);
    const owner = await user('+79001620001');
    const reader = await user('+79001620002');
    const live: ChannelPost[] = [];
    reader.client.channels.on('post', (p) => live.push(p));

    const channel = await owner.client.channels.create({ handle: '@town', name: 'Town hall', description: 'Notes' });
    expect(channel).toMatchObject({ handle: '@town', public: true, encrypted: false, owned: true });
    expect((await reader.client.channels.search('town')).map((c) => c.channelId)).toEqual([channel.channelId]);
    await reader.client.channels.follow('@town');
    expect(await reader.client.channels.get(channel.channelId)).toMatchObject({ following: true, followers: 2 });

    const post = await owner.client.channels.post('@town', 'the road is closed');
    await waitFor(() => live.length === 1, 'the live post');
    expect(live[0]).toEqual(post);
    const [followed] = await reader.client.channels.followed();
    expect(followed).toMatchObject({ channelId: channel.channelId, unread: 1 });

    const page = await reader.client.channels.posts('@town', { limit: 10 });
    expect(page.posts.map((p) => p.text)).toEqual(['the road is closed']);
    await reader.client.channels.markRead('@town', post.postId);
    expect((await reader.client.channels.followed())[0]?.unread).toBe(0);

    const removed: unknown[] = [];
    reader.client.channels.on('removed', (r) => removed.push(r));
    await owner.client.channels.deletePost('@town', post.postId);
    await waitFor(() => removed.length === 1, 'the removal');
    expect(removed[0]).toEqual({ channelId: channel.channelId, postId: post.postId, reason: 'deleted' });

    const refused = await reader.client.channels.post('@town', 'me too').catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(SignetApiError);
    expect((refused as SignetApiError).status).toBe(403);
    await reader.client.channels.unfollow('@town');
    expect(await reader.client.channels.followed()).toEqual([]);
  });
});
