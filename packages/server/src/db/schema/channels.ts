import type { Generated } from 'kysely';

/** A public channel: one-to-many, not end-to-end encrypted. */
export interface ChannelsTable {
  id: string;
  /** Lower case, without the `@`; unique. */
  handle: string;
  name: string;
  description: string;
  owner_id: string;
  /** `restricted`: blocked by an authority's order (`restriction_ref` names it); only the owner sees it. */
  status: 'active' | 'restricted';
  restriction_ref: string | null;
  restricted_at: number | null;
  /** Kept with each follow and unfollow, for ranking and display. */
  follower_count: number;
  /** Handle and name in lower case, for search on both dialects alike. */
  search_text: string;
  created_at: number;
}

/** A post is stored once; followers read the channel's posts (fan-out on read). */
export interface ChannelPostsTable {
  id: Generated<number>;
  channel_id: string;
  author_id: string;
  text: string;
  /** SHA-256 of the text's UTF-8 bytes, hex: what an order to block public content by fingerprint names. */
  content_sha256: string;
  /** `restricted`: removed by an authority's order (`restriction_ref`); only the owner still sees it. */
  status: 'visible' | 'restricted';
  restriction_ref: string | null;
  restricted_at: number | null;
  created_at: number;
}

export interface ChannelFollowsTable {
  channel_id: string;
  account_id: string;
  /** The follower's read cursor: every post with an id up to this one is read. */
  read_post_id: number;
  followed_at: number;
}
