import type { Clock } from '@signet/common';
import type { FollowedChannel } from '@signet/protocol';
import type { AuthenticatedDevice } from '../accounts/account-manager';
import type { ServerDatabase } from '../db';
import { conflict, notFound } from '../errors';
import type { IdentificationGate } from '../identification/gate';
import { isReachLimited } from '../restrictions/restriction-store';
import { countFollows, followedWithUnread, isFollowing, lastVisiblePostId } from './channel-store';
import type { ChannelLive } from './live';
import { channelView, existingChannel, restricted, visibleChannel } from './views';

/** Channels one account may follow: each is a broker subscription on every connection of the account. */
export const MAX_FOLLOWS = 1000;

/** Following public channels, and each follower's read cursor. */
export class ChannelFollows {
  constructor(
    private readonly db: ServerDatabase,
    private readonly clock: Clock,
    private readonly gate: IdentificationGate,
    private readonly live: ChannelLive,
  ) {}

  /**
   * Only identified accounts follow (an order suspending an account's sending does not stop it reading). Posts
   * before the follow start out read. Following twice is one follow. A channel whose owner's reach an order
   * limits takes no new followers.
   */
  async follow(auth: AuthenticatedDevice, ref: string): Promise<void> {
    await this.gate.assertIdentified(auth.accountId);
    const channel = await visibleChannel(this.db.db, ref, auth.accountId);
    if (
      channel.owner_id !== auth.accountId &&
      (await isReachLimited(this.db.db, channel.owner_id, this.clock.now())) &&
      !(await isFollowing(this.db.db, channel.id, auth.accountId))
    ) {
      throw restricted(`the channel ${ref} takes no new followers now`);
    }
    if ((await countFollows(this.db.db, auth.accountId)) >= MAX_FOLLOWS) {
      throw conflict(`an account follows at most ${MAX_FOLLOWS} channels`);
    }
    const readUpTo = await lastVisiblePostId(this.db.db, channel.id);
    await this.db.transaction(async (tx) => {
      const inserted = await tx
        .insertInto('channel_follows')
        .values({
          channel_id: channel.id,
          account_id: auth.accountId,
          read_post_id: readUpTo,
          followed_at: this.clock.now(),
        })
        .onConflict((oc) => oc.columns(['channel_id', 'account_id']).doNothing())
        .executeTakeFirst();
      if (Number(inserted.numInsertedOrUpdatedRows ?? 0) > 0) {
        await tx
          .updateTable('channels')
          .set((eb) => ({ follower_count: eb('follower_count', '+', 1) }))
          .where('id', '=', channel.id)
          .execute();
      }
    });
    await this.live.announceFollow(auth.accountId, channel.id, true);
  }

  /** Anyone may stop following, identified or not, restricted channel or not. */
  async unfollow(auth: AuthenticatedDevice, ref: string): Promise<void> {
    const channel = await existingChannel(this.db.db, ref);
    await this.db.transaction(async (tx) => {
      const deleted = await tx
        .deleteFrom('channel_follows')
        .where('channel_id', '=', channel.id)
        .where('account_id', '=', auth.accountId)
        .executeTakeFirst();
      if (Number(deleted.numDeletedRows) > 0) {
        await tx
          .updateTable('channels')
          .set((eb) => ({ follower_count: eb('follower_count', '-', 1) }))
          .where('id', '=', channel.id)
          .execute();
      }
    });
    await this.live.announceFollow(auth.accountId, channel.id, false);
  }

  /** The channels the account follows, with unread counts; restricted ones only when the account owns them. */
  async followed(auth: AuthenticatedDevice): Promise<FollowedChannel[]> {
    const rows = await followedWithUnread(this.db.db, auth.accountId);
    return rows
      .filter((r) => r.status === 'active' || r.owner_id === auth.accountId)
      .map((r) => ({
        ...channelView(r, auth.accountId, true),
        unread: Number(r.unread ?? 0),
        readUpTo: Number(r.read_post_id),
        lastPostAt: r.last_post_at === null || r.last_post_at === undefined ? null : Number(r.last_post_at),
      }));
  }

  /** Moves the read cursor forward to `upTo`, never back and never past the channel's newest post. */
  async markRead(auth: AuthenticatedDevice, ref: string, upTo: number): Promise<void> {
    const channel = await existingChannel(this.db.db, ref);
    const newest = await this.db.db
      .selectFrom('channel_posts')
      .select((eb) => eb.fn.max('id').as('id'))
      .where('channel_id', '=', channel.id)
      .executeTakeFirst();
    const cursor = Math.min(upTo, Number(newest?.id ?? 0));
    const follow = await this.db.db
      .selectFrom('channel_follows')
      .select('read_post_id')
      .where('channel_id', '=', channel.id)
      .where('account_id', '=', auth.accountId)
      .executeTakeFirst();
    if (!follow) throw notFound(`you do not follow ${ref}`);
    await this.db.db
      .updateTable('channel_follows')
      .set({ read_post_id: cursor })
      .where('channel_id', '=', channel.id)
      .where('account_id', '=', auth.accountId)
      .where('read_post_id', '<', cursor)
      .execute();
  }
}
