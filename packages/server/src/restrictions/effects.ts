import type { Clock } from '@signet/common';
import type { RestrictedItem } from '@signet/protocol';
import type { Kysely } from 'kysely';
import type { ChannelRestrictions } from '../channels/restrictions';
import type { Schema } from '../db';
import { notFound } from '../errors';
import * as store from './restriction-store';

/** What applying an order did, for its notices, its audit and, after the commit, followers' screens. */
export interface Applied {
  /** What each affected account is told was restricted of its own. */
  affected: Array<{ accountId: string; restricted: RestrictedItem }>;
  /** Posts newly hidden, to take off followers' screens once committed. */
  removed: Array<{ channelId: string; postId: number }>;
}

/**
 * What an order does to its target, inside the caller's transaction. Account orders need nothing beyond the
 * order itself: the identification gate and the lookups read the orders in force. Post and channel orders
 * mark what they hide with the order's id; when an order ends, what it hid is shown again unless another order
 * in force covers it, which then takes it over.
 */
export class OrderEffects {
  constructor(
    private readonly channels: ChannelRestrictions,
    private readonly clock: Clock,
  ) {}

  /** Applies an order just stored; a target that does not exist is a 404. */
  async apply(tx: Kysely<Schema>, order: store.OrderRow): Promise<Applied> {
    const applied: Applied = { affected: [], removed: [] };
    switch (order.target_type) {
      case 'channel_post': {
        const postId = Number(order.target);
        const r = await this.channels.restrictPost(postId, order.id, tx);
        if (!r) throw notFound(`no channel post ${postId}`);
        if (r.changed) applied.removed.push({ channelId: r.channelId, postId });
        applied.affected.push({
          accountId: r.ownerAccountId,
          restricted: { type: 'channel_post', channelId: r.channelId, postId },
        });
        return applied;
      }
      case 'channel': {
        const r = await this.channels.restrictChannel(order.target, order.id, tx);
        if (!r) throw notFound(`no channel ${order.target}`);
        applied.affected.push({ accountId: r.ownerAccountId, restricted: { type: 'channel', channelId: r.channelId } });
        return applied;
      }
      case 'account_sending':
      case 'account_reach': {
        const account = await tx.selectFrom('accounts').select('id').where('id', '=', order.target).executeTakeFirst();
        if (!account) throw notFound(`no account ${order.target}`);
        applied.affected.push({ accountId: order.target, restricted: { type: order.target_type } });
        return applied;
      }
      case 'content_fingerprint':
        // Every matching post is the order's to tell of, also one another order hides already.
        return this.hideMatches(tx, order, true);
    }
  }

  /**
   * Hides the visible public posts an order in force on a fingerprint matches: those posted since the last look
   * (a post that raced the order's issue, on another node). Told of: the owners of the posts newly hidden.
   */
  rescan(tx: Kysely<Schema>, order: store.OrderRow): Promise<Applied> {
    return this.hideMatches(tx, order, false);
  }

  /** Shows again what an order that has just ended hid, or hands it to another order in force on it. */
  async lift(tx: Kysely<Schema>, order: store.OrderRow): Promise<void> {
    switch (order.target_type) {
      case 'channel_post': {
        const postId = Number(order.target);
        if (await this.channels.liftRestriction({ postId }, order.id, tx)) await this.handOver(tx, postId, order.id);
        return;
      }
      case 'channel': {
        if (!(await this.channels.liftRestriction({ channelId: order.target }, order.id, tx))) return;
        const [next] = await store.ordersInForce(tx, 'channel', order.target, this.clock.now(), order.id);
        if (next) await this.channels.restrictChannel(order.target, next.id, tx);
        return;
      }
      case 'account_sending':
      case 'account_reach':
        return;
      case 'content_fingerprint':
        for (const post of await this.channels.findPostsByFingerprint(order.target, tx)) {
          if (post.status !== 'restricted') continue;
          if (await this.channels.liftRestriction({ postId: post.postId }, order.id, tx)) {
            await this.handOver(tx, post.postId, order.id);
          }
        }
        return;
    }
  }

  private async hideMatches(tx: Kysely<Schema>, order: store.OrderRow, all: boolean): Promise<Applied> {
    const applied: Applied = { affected: [], removed: [] };
    const byOwner = new Map<string, Array<{ channelId: string; postId: number }>>();
    for (const post of await this.channels.findPostsByFingerprint(order.target, tx)) {
      const r = post.status === 'visible' ? await this.channels.restrictPost(post.postId, order.id, tx) : undefined;
      if (r?.changed) applied.removed.push({ channelId: post.channelId, postId: post.postId });
      if (r?.changed || all) {
        byOwner.set(post.ownerAccountId, [
          ...(byOwner.get(post.ownerAccountId) ?? []),
          { channelId: post.channelId, postId: post.postId },
        ]);
      }
    }
    for (const [accountId, posts] of byOwner) {
      applied.affected.push({ accountId, restricted: { type: 'content_fingerprint', sha256: order.target, posts } });
    }
    return applied;
  }

  /** A post shown again: the oldest other order in force on it (on the post or on its text) hides it again. */
  private async handOver(tx: Kysely<Schema>, postId: number, endedOrderId: string): Promise<void> {
    const now = this.clock.now();
    const post = await tx
      .selectFrom('channel_posts')
      .select('content_sha256')
      .where('id', '=', postId)
      .executeTakeFirst();
    if (!post) return;
    const others = [
      ...(await store.ordersInForce(tx, 'channel_post', String(postId), now, endedOrderId)),
      ...(await store.ordersInForce(tx, 'content_fingerprint', post.content_sha256, now, endedOrderId)),
    ].sort((a, b) => (a.id < b.id ? -1 : 1));
    const next = others[0];
    if (!next) return;
    const r = await this.channels.restrictPost(postId, next.id, tx);
    if (r?.changed) await store.addPostsRestricted(tx, next.id, 1);
  }
}
