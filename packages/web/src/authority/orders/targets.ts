import { RESTRICTION_ACTIONS, type RestrictionTarget, type RestrictionTargetType } from '@signet/protocol';

/** How the console names each target type, the one field it takes, and what its action does. */
export const TARGETS: Record<
  RestrictionTargetType,
  { label: string; field: string; hint: string; pattern?: string; effect: string }
> = {
  channel_post: {
    label: 'A public channel post',
    field: 'Post number',
    hint: 'The number shown under the post in the channel (“Post 123”).',
    effect: 'hide: the post is hidden from everyone but its channel’s owner, who is told why unless you withhold it.',
  },
  channel: {
    label: 'A public channel',
    field: 'Channel id',
    hint: 'Starts with ch_; shown in the channel’s details.',
    effect: 'hide: nobody but its owner can find, follow or read the channel, and nobody can post to it.',
  },
  account_sending: {
    label: 'An account’s sending',
    field: 'Account id',
    hint: 'Starts with acc_; a data request answers it for a phone number.',
    effect:
      'suspend: the account sends nothing (messages, channels, posts); it still signs in, receives and reads. Private chats stay end-to-end encrypted.',
  },
  account_reach: {
    label: 'An account’s reach',
    field: 'Account id',
    hint: 'Starts with acc_; a data request answers it for a phone number.',
    effect:
      'limit: the account’s channels leave search and take no new followers, lookup by number does not find it, and it starts no new conversations.',
  },
  content_fingerprint: {
    label: 'Public content, by fingerprint',
    field: 'SHA-256 of the text',
    hint: '64 hex digits. Every public post with exactly this text is hidden, and new ones are refused.',
    effect: 'block: public posts with this exact text are hidden, and new ones refused.',
  },
};

export const TARGET_TYPES = Object.keys(TARGETS) as RestrictionTargetType[];

export function actionOf(type: RestrictionTargetType): string {
  return RESTRICTION_ACTIONS[type];
}

/** "Post 12", "Channel ch_…", "Account acc_…", "Text with SHA-256 ab12…". */
export function describeTarget(target: RestrictionTarget): string {
  switch (target.type) {
    case 'channel_post':
      return `Channel post ${target.postId}`;
    case 'channel':
      return `Channel ${target.channelId}`;
    case 'account_sending':
      return `Sending of account ${target.accountId}`;
    case 'account_reach':
      return `Reach of account ${target.accountId}`;
    case 'content_fingerprint':
      return `Public content with SHA-256 ${target.sha256.slice(0, 16)}…`;
  }
}

/** SHA-256 of a text's UTF-8 bytes in hex, as the server fingerprints posts. */
export async function sha256Hex(text: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
  return [...digest].map((b) => b.toString(16).padStart(2, '0')).join('');
}
