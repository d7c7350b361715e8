import type {
  Channel,
  ChannelList,
  ChannelPost,
  ChannelPostPage,
  ChannelPostRemovedFrame,
  CreateChannel,
  FollowedChannel,
  FollowedChannelList,
  ServerFrame,
} from '@signet/protocol';
import type { SignetApi } from './api/endpoints';
import { Emitter } from './util/emitter';

export interface ChannelPostsOptions {
  /** Newest first, older than this cursor (a page's `nextCursor`). */
  before?: string;
  /** Oldest first, newer than this cursor. */
  after?: string;
  limit?: number;
}

export interface ChannelEvents {
  /** A post of a followed channel, pushed live. */
  post: ChannelPost;
  /** A post of a followed channel is gone: deleted by its owner, or restricted by an authority's order. */
  removed: Omit<ChannelPostRemovedFrame, 'type'>;
}

const enc = encodeURIComponent;

/**
 * Public channels: one-to-many, readable by anyone signed in. Unlike conversations they are NOT end-to-end
 * encrypted (every channel and post says `encrypted: false`): show that to the user.
 */
export class ChannelService {
  // Every `ref` below is a channel's id or its `@handle`.
  readonly #events = new Emitter<ChannelEvents>();

  constructor(private readonly api: SignetApi) {}

  create(input: CreateChannel): Promise<Channel> {
    return this.api.http.json<Channel>('POST', '/v1/channels', input);
  }

  get(ref: string): Promise<Channel> {
    return this.api.http.json<Channel>('GET', `/v1/channels/${enc(ref)}`);
  }

  /** Channels whose handle or name contains `query`; without one, the most followed. */
  async search(query?: string, limit?: number): Promise<Channel[]> {
    const { channels } = await this.api.http.json<ChannelList>(
      'GET',
      `/v1/channels${queryString({ q: query, limit })}`,
    );
    return channels;
  }

  follow(ref: string): Promise<void> {
    return this.api.http.json<void>('PUT', `/v1/channels/${enc(ref)}/follow`);
  }

  unfollow(ref: string): Promise<void> {
    return this.api.http.json<void>('DELETE', `/v1/channels/${enc(ref)}/follow`);
  }

  /** The channels this account follows, with unread counts. */
  async followed(): Promise<FollowedChannel[]> {
    const { channels } = await this.api.http.json<FollowedChannelList>('GET', '/v1/channels/followed');
    return channels;
  }

  /** One page of posts; pass its `nextCursor` back as `before` (or `after`) for the next. */
  posts(ref: string, options: ChannelPostsOptions = {}): Promise<ChannelPostPage> {
    return this.api.http.json<ChannelPostPage>('GET', `/v1/channels/${enc(ref)}/posts${queryString({ ...options })}`);
  }

  /** Posts to a channel this account owns. The text is stored on the server in the clear. */
  post(ref: string, text: string): Promise<ChannelPost> {
    return this.api.http.json<ChannelPost>('POST', `/v1/channels/${enc(ref)}/posts`, { text });
  }

  deletePost(ref: string, postId: number): Promise<void> {
    return this.api.http.json<void>('DELETE', `/v1/channels/${enc(ref)}/posts/${postId}`);
  }

  /** Marks every post up to `postId` read (the cursor never moves back). */
  markRead(ref: string, postId: number): Promise<void> {
    return this.api.http.json<void>('PUT', `/v1/channels/${enc(ref)}/read`, { upTo: postId });
  }

  /** Live posts (and removals) of followed channels, while the client is started. */
  on<K extends keyof ChannelEvents>(event: K, listener: (value: ChannelEvents[K]) => void): () => void {
    return this.#events.on(event, listener);
  }

  /** Takes the channel frames of the client's connection. */
  handle(frame: ServerFrame): void {
    if (frame.type === 'channel.post') this.#events.emit('post', frame.post);
    else if (frame.type === 'channel.post.removed') {
      const { type: _, ...removed } = frame;
      this.#events.emit('removed', removed);
    }
  }
}

function queryString(params: Record<string, string | number | undefined>): string {
  const entries = Object.entries(params).filter((e): e is [string, string | number] => e[1] !== undefined);
  return entries.length === 0 ? '' : `?${entries.map(([k, v]) => `${k}=${enc(String(v))}`).join('&')}`;
}
