import type { AccountRestriction } from '@signet/protocol';
import { useLoad } from '../lib/use-load';
import { useChannels } from './channel-state';

/** Why something of this account's is restricted: the orders it was told of, in force now. */
export interface OwnRestrictions {
  /** The order that hides this post of the account's (directly, or by its content's fingerprint). */
  forPost(channelId: string, postId: number): AccountRestriction | undefined;
  forChannel(channelId: string): AccountRestriction | undefined;
}

/** Read only for a channel the account owns (nobody else is told why); reloaded when an order arrives or ends. */
export function useOwnRestrictions(owned: boolean): OwnRestrictions {
  const { client, revision } = useChannels();
  const { value } = useLoad(
    async () => (owned ? (await client.api.restrictions()).restrictions : []),
    [client, owned, revision],
  );
  const active = (value ?? []).filter((r) => r.status === 'active');
  return {
    forPost: (channelId, postId) =>
      active.find(
        ({ restricted: r }) =>
          (r.type === 'channel_post' && r.channelId === channelId && r.postId === postId) ||
          (r.type === 'content_fingerprint' && r.posts.some((p) => p.channelId === channelId && p.postId === postId)),
      ),
    forChannel: (channelId) => active.find(({ restricted: r }) => r.type === 'channel' && r.channelId === channelId),
  };
}
