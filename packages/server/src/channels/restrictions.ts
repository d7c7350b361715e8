import type { Clock } from '@signet/common';
import type { Kysely } from 'kysely';
import type { Schema, ServerDatabase } from '../db';
import type { ChannelLive } from './live';

/** What a restriction reached, so that the caller can audit it and tell the owner. */
export interface RestrictionTarget {
  channelId: string;
  /** Absent when the target is a whole channel. */
  postId?: number;
  ownerAccountId: string;
  /** The order in force on the target now: `orderRef`, or an earlier one if it was restricted already. */
  orderRef: string;
  /** False when the target was restricted already (by this order or another). */
  changed: boolean;
}

export interface FingerprintMatch {
  postId: number;
  channelId: string;
  ownerAccountId: string;
  status: 'visible' | 'restricted';
  createdAt: number;
}

/**
 * The calls restriction orders make on public channels. They only change what is shown: a restricted post
 * or channel stays stored (its owner still sees it, marked), and lifting the order shows it again. Orders
 * themselves, their audit and telling the owner belong to the authority side. Each call takes the caller's
 * transaction if it has one (`tx`); a post restricted in it is then announced by the caller, after the commit,
 * with `announceRemoved`.
 */
export class ChannelRestrictions {
  constructor(
    private readonly db: ServerDatabase,
    private readonly clock: Clock,
    private readonly live: ChannelLive,
  ) {}

  /** Hides a post from everyone but its channel's owner, and takes it off followers' screens. */
  async restrictPost(postId: number, orderRef: string, tx?: Kysely<Schema>): Promise<RestrictionTarget | undefined> {
    const db = tx ?? this.db.db;
    const post = await db
      .selectFrom('channel_posts as p')
      .innerJoin('channels as c', 'c.id', 'p.channel_id')
      .select(['p.channel_id', 'p.status', 'p.restriction_ref', 'c.owner_id'])
      .where('p.id', '=', postId)
      .executeTakeFirst();
    if (!post) return undefined;
    const changed = await db
      .updateTable('channel_posts')
      .set({ status: 'restricted', restriction_ref: orderRef, restricted_at: this.clock.now() })
      .where('id', '=', postId)
      .where('status', '=', 'visible')
      .executeTakeFirst();
    const didChange = Number(changed.numUpdatedRows) > 0;
    if (didChange && !tx) await this.announceRemoved(post.channel_id, postId);
    return {
      channelId: post.channel_id,
      postId,
      ownerAccountId: post.owner_id,
      orderRef: didChange ? orderRef : (post.restriction_ref ?? orderRef),
      changed: didChange,
    };
  }

  /** Blocks a channel: only its owner sees it; nobody posts to it, follows it or finds it. Follows are kept. */
  async restrictChannel(
    channelId: string,
    orderRef: string,
    tx?: Kysely<Schema>,
  ): Promise<RestrictionTarget | undefined> {
    const db = tx ?? this.db.db;
    const channel = await db
      .selectFrom('channels')
      .select(['owner_id', 'restriction_ref'])
      .where('id', '=', channelId)
      .executeTakeFirst();
    if (!channel) return undefined;
    const changed = await db
      .updateTable('channels')
      .set({ status: 'restricted', restriction_ref: orderRef, restricted_at: this.clock.now() })
      .where('id', '=', channelId)
      .where('status', '=', 'active')
      .executeTakeFirst();
    const didChange = Number(changed.numUpdatedRows) > 0;
    return {
      channelId,
      ownerAccountId: channel.owner_id,
      orderRef: didChange ? orderRef : (channel.restriction_ref ?? orderRef),
      changed: didChange,
    };
  }

  /** Lifts what `orderRef` restricted (a post or a channel); answers false when that order is not the one in force. */
  async liftRestriction(
    target: { postId: number } | { channelId: string },
    orderRef: string,
    tx?: Kysely<Schema>,
  ): Promise<boolean> {
    const db = tx ?? this.db.db;
    const result =
      'postId' in target
        ? await db
            .updateTable('channel_posts')
            .set({ status: 'visible', restriction_ref: null, restricted_at: null })
            .where('id', '=', target.postId)
            .where('restriction_ref', '=', orderRef)
            .executeTakeFirst()
        : await db
            .updateTable('channels')
            .set({ status: 'active', restriction_ref: null, restricted_at: null })
            .where('id', '=', target.channelId)
            .where('restriction_ref', '=', orderRef)
            .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  /** Every post whose text has this SHA-256 (hex), restricted or not, oldest first. */
  async findPostsByFingerprint(sha256: string, tx?: Kysely<Schema>): Promise<FingerprintMatch[]> {
    const rows = await (tx ?? this.db.db)
      .selectFrom('channel_posts as p')
      .innerJoin('channels as c', 'c.id', 'p.channel_id')
      .select(['p.id', 'p.channel_id', 'p.status', 'p.created_at', 'c.owner_id'])
      .where('p.content_sha256', '=', sha256.toLowerCase())
      .orderBy('p.id')
      .execute();
    return rows.map((r) => ({
      postId: Number(r.id),
      channelId: r.channel_id,
      ownerAccountId: r.owner_id,
      status: r.status,
      createdAt: Number(r.created_at),
    }));
  }

  /** Takes a restricted post off followers' screens. */
  async announceRemoved(channelId: string, postId: number): Promise<void> {
    await this.live.publish(channelId, { type: 'channel.post.removed', channelId, postId, reason: 'restricted' });
  }
}
