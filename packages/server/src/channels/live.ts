import type { Logger } from '@signet/common';
import type { AccountState, ChannelPostFrame, ChannelPostRemovedFrame } from '@signet/protocol';
import type { AccountTopicMessage } from '../accounts/notifier';
import { accountTopic } from '../accounts/notifier';
import type { Broker } from '../adapters/broker/broker';
import type { ServerDatabase } from '../db';
import { followedChannelIds } from './channel-store';

export type ChannelFrame = ChannelPostFrame | ChannelPostRemovedFrame;

/** Every connection of a follower that is online subscribes to this topic of each channel it follows. */
export const channelTopic = (channelId: string) => `channel.${channelId}`;
/** Follows and unfollows of an account, so that its open connections join or leave the channels' topics. */
export const channelFollowsTopic = (accountId: string) => `channel-follows.${accountId}`;

export interface FollowsTopicMessage {
  channelId: string;
  following: boolean;
}

/**
 * Live push of channel posts, one broker topic per channel. A post is published once, whatever the number
 * of followers, and the broker hands it only to the connections (and, with several nodes, the nodes) that
 * follow the channel now; offline followers cost nothing and read the post later. Notifying each follower's
 * account topic instead would cost one publish per follower per post, most of them for nobody.
 */
export class ChannelLive {
  constructor(
    private readonly db: ServerDatabase,
    private readonly broker: Broker,
    private readonly log: Logger,
  ) {}

  publish(channelId: string, frame: ChannelFrame): Promise<void> {
    return this.broker.publish(channelTopic(channelId), frame);
  }

  announceFollow(accountId: string, channelId: string, following: boolean): Promise<void> {
    const message: FollowsTopicMessage = { channelId, following };
    return this.broker.publish(channelFollowsTopic(accountId), message);
  }

  /**
   * Feeds one device connection the frames of the channels its account follows, while the account is
   * identified (as messages are held otherwise). Answers the function that ends it.
   */
  attach(account: { accountId: string; state: AccountState }, deliver: (frame: ChannelFrame) => void): () => void {
    let state = account.state;
    let ended = false;
    const channels = new Map<string, () => void>();
    const join = (channelId: string) => {
      if (ended || channels.has(channelId)) return;
      channels.set(
        channelId,
        this.broker.subscribe(channelTopic(channelId), (payload) => {
          if (state === 'identified') deliver(payload as ChannelFrame);
        }),
      );
    };
    const leave = (channelId: string) => {
      channels.get(channelId)?.();
      channels.delete(channelId);
    };
    // Changes seen before the followed channels are read win over that read, which may predate them.
    let changed: Map<string, boolean> | undefined = new Map();
    const stops = [
      this.broker.subscribe(channelFollowsTopic(account.accountId), (payload) => {
        const m = payload as FollowsTopicMessage;
        changed?.set(m.channelId, m.following);
        if (m.following) join(m.channelId);
        else leave(m.channelId);
      }),
      this.broker.subscribe(accountTopic(account.accountId), (payload) => {
        const { event } = payload as AccountTopicMessage;
        if (event.type === 'identification.changed') state = event.state;
      }),
    ];
    // Subscribed to follow changes first, so that none made during this read is lost.
    followedChannelIds(this.db.db, account.accountId).then(
      (ids) => {
        for (const id of ids) if (changed?.get(id) !== false) join(id);
        changed = undefined;
      },
      (error: unknown) =>
        this.log.warn({ err: error, accountId: account.accountId }, 'reading followed channels failed'),
    );
    return () => {
      ended = true;
      for (const stop of stops) stop();
      for (const stop of channels.values()) stop();
      channels.clear();
    };
  }
}
