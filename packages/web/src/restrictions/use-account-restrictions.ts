import type { AccountRestriction } from '@signet/protocol';
import { useChannels } from '../channels/channel-state';
import { type Loaded, useLoad } from '../lib/use-load';

/** The authorities' orders this account was told of, newest first; read again when one arrives or ends. */
export function useAccountRestrictions(): Loaded<AccountRestriction[]> {
  const { client, revision } = useChannels();
  return useLoad(async () => (await client.api.restrictions()).restrictions, [client, revision]);
}

/** What an order restricts (or, once it ended, restricted), said to its user. */
export function describeRestricted(r: AccountRestriction): string {
  const item = r.restricted;
  if (r.status !== 'active') {
    switch (item.type) {
      case 'channel_post':
        return `Your post ${item.postId} in a public channel was hidden; it is shown again.`;
      case 'channel':
        return 'Your public channel was hidden; it is shown again.';
      case 'account_sending':
        return 'Your account could not send; it can again.';
      case 'account_reach':
        return 'Your account’s reach was limited; it no longer is.';
      case 'content_fingerprint':
        return `Public posts with one exact text were blocked (${item.posts.length} of yours); they are shown again.`;
    }
  }
  switch (item.type) {
    case 'channel_post':
      return `Your post ${item.postId} in a public channel is hidden from everyone but you.`;
    case 'channel':
      return 'Your public channel is hidden: nobody but you can find, follow or read it, and nobody can post to it.';
    case 'account_sending':
      return 'Your account cannot send: no messages, new conversations, channels or posts. You can still read and receive.';
    case 'account_reach':
      return 'Your account’s reach is limited: nobody finds it by number, your channels leave search and take no new followers, and you cannot start conversations.';
    case 'content_fingerprint':
      return `Public posts with one exact text are blocked; ${item.posts.length} of yours ${item.posts.length === 1 ? 'is' : 'are'} hidden, and the same text cannot be posted again.`;
  }
}
