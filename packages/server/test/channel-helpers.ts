import type { Channel, ChannelPost, CreateChannel } from '@signet/protocol';
import type { TestServer } from './harness';
import type { User } from './messaging-helpers';

/** Creates a public channel owned by `owner`; a refusal fails the test's setup. */
export async function createChannel(t: TestServer, owner: User, channel: CreateChannel): Promise<Channel> {
  const res = await t.request('POST', '/v1/channels', channel, owner.token);
  if (res.status !== 201) throw new Error(`create failed: ${res.status} ${res.text}`);
  return res.body as Channel;
}

/** Posts `text` to a channel (its id or @handle) as its owner; a refusal fails the test's setup. */
export async function postToChannel(t: TestServer, owner: User, channel: string, text: string): Promise<ChannelPost> {
  const res = await t.request('POST', `/v1/channels/${channel}/posts`, { text }, owner.token);
  if (res.status !== 201) throw new Error(`post failed: ${res.status} ${res.text}`);
  return res.body as ChannelPost;
}
