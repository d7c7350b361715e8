import { type Clock, sha256Hex } from '@signet/common';
import type { ChannelPost, ChannelPostPage, CreateChannelPost } from '@signet/protocol';
import type { AuthenticatedDevice } from '../accounts/account-manager';
import type { ServerDatabase } from '../db';
import { invalidArgument, notFound, permissionDenied } from '../errors';
import type { IdentificationGate } from '../identification/gate';
import type { RateLimiters } from '../rate-limit/registry';
import { postPage } from './channel-store';
import type { ChannelLive } from './live';
import { postView, restricted, visibleChannel } from './views';

const PAGE_DEFAULT = 20;
const PAGE_MAX = 100;

/** Answers whether public content with this fingerprint is blocked (by a restriction order). */
export type FingerprintCheck = (sha256: string) => Promise<boolean>;

export interface PostsQuery {
  before?: string | undefined;
  after?: string | undefined;
  limit?: string | undefined;
}

/** Posting to a channel (its owner only) and reading its posts: one row per post, read by every follower. */
export class ChannelPosts {
  constructor(
    private readonly db: ServerDatabase,
    private readonly clock: Clock,
    private readonly gate: IdentificationGate,
    private readonly limiters: RateLimiters,
    private readonly live: ChannelLive,
    private readonly fingerprintBlocked: FingerprintCheck = async () => false,
  ) {}

  async post(auth: AuthenticatedDevice, ref: string, input: CreateChannelPost): Promise<ChannelPost> {
    if (input.text.trim() === '') throw invalidArgument('a post needs some text');
    await this.gate.assertCanSend(auth.accountId);
    const channel = await visibleChannel(this.db.db, ref, auth.accountId);
    if (channel.owner_id !== auth.accountId) throw permissionDenied("only the channel's owner posts to it");
    if (channel.status === 'restricted') throw restricted(`the channel ${ref} is restricted by an authority's order`);
    this.limiters.get('channel-post').consume(auth.accountId);
    const contentSha256 = sha256Hex(input.text);
    if (await this.fingerprintBlocked(contentSha256)) {
      throw restricted("this content is restricted by an authority's order");
    }
    const row = {
      channel_id: channel.id,
      author_id: auth.accountId,
      text: input.text,
      content_sha256: contentSha256,
      status: 'visible' as const,
      restriction_ref: null,
      restricted_at: null,
      created_at: this.clock.now(),
    };
    const id = await this.db.transaction(async (tx) => {
      const { id } = await tx.insertInto('channel_posts').values(row).returning('id').executeTakeFirstOrThrow();
      // The owner's own post is not unread to it.
      await tx
        .updateTable('channel_follows')
        .set({ read_post_id: id })
        .where('channel_id', '=', channel.id)
        .where('account_id', '=', auth.accountId)
        .where('read_post_id', '<', id)
        .execute();
      return Number(id);
    });
    const post = postView({ ...row, id });
    await this.live.publish(channel.id, { type: 'channel.post', post });
    return post;
  }

  /** A page of posts: newest first (below `before`), or oldest first above `after`. */
  async page(auth: AuthenticatedDevice, ref: string, query: PostsQuery): Promise<ChannelPostPage> {
    if (query.before !== undefined && query.after !== undefined) {
      throw invalidArgument('give `before` or `after`, not both');
    }
    const channel = await visibleChannel(this.db.db, ref, auth.accountId);
    const limit = query.limit === undefined ? PAGE_DEFAULT : Math.min(Math.max(Number(query.limit), 1), PAGE_MAX);
    // One more than asked for says whether there is a next page.
    const rows = await postPage(this.db.db, {
      channelId: channel.id,
      before: query.before === undefined ? undefined : Number(query.before),
      after: query.after === undefined ? undefined : Number(query.after),
      limit: limit + 1,
      includeRestricted: channel.owner_id === auth.accountId,
    });
    const posts = rows.slice(0, limit).map(postView);
    const last = posts.at(-1);
    return { posts, nextCursor: rows.length > limit && last ? String(last.postId) : null };
  }

  /** The owner deletes a post of its channel; it is gone for everyone at once. */
  async delete(auth: AuthenticatedDevice, ref: string, postId: number): Promise<void> {
    const channel = await visibleChannel(this.db.db, ref, auth.accountId);
    if (channel.owner_id !== auth.accountId) throw permissionDenied("only the channel's owner deletes its posts");
    const deleted = await this.db.db
      .deleteFrom('channel_posts')
      .where('id', '=', postId)
      .where('channel_id', '=', channel.id)
      .executeTakeFirst();
    if (Number(deleted.numDeletedRows) === 0) throw notFound(`no post ${postId} in ${ref}`);
    await this.live.publish(channel.id, {
      type: 'channel.post.removed',
      channelId: channel.id,
      postId,
      reason: 'deleted',
    });
  }
}
