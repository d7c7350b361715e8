import { type Static, Type } from 'typebox';
import { Id, Millis } from '../common';

/**
 * Public channels: one-to-many, readable by anyone signed in, followed by identified accounts. They are
 * NOT end-to-end encrypted: the server stores every post in the clear, so that it can serve followers
 * (fan-out on read) and act on a restriction order. Every channel and post says so (`public`, `encrypted`).
 */

/** What a handle is typed as: `@name` or `name`, a letter then letters, digits or `_`, 3–32 in all. */
export const ChannelHandleInput = Type.String({ pattern: '^@?[A-Za-z][A-Za-z0-9_]{2,31}$' });

/** A channel in a path: its id, or its handle with the `@`. */
export const ChannelRef = Type.String({ pattern: '^(@[A-Za-z][A-Za-z0-9_]{2,31}|[A-Za-z0-9_-]{1,64})$' });
export const ChannelParams = Type.Object({ channel: ChannelRef });
export const ChannelPostParams = Type.Object({
  channel: ChannelRef,
  postId: Type.String({ pattern: '^[0-9]{1,15}$' }),
});

export const ChannelStatus = Type.Union([Type.Literal('active'), Type.Literal('restricted')]);
export type ChannelStatus = Static<typeof ChannelStatus>;
export const ChannelPostStatus = Type.Union([Type.Literal('visible'), Type.Literal('restricted')]);
export type ChannelPostStatus = Static<typeof ChannelPostStatus>;

/** The marks every channel and post carries: readable by anyone, not end-to-end encrypted. */
const PublicMarks = { public: Type.Literal(true), encrypted: Type.Literal(false) };

export const CreateChannel = Type.Object(
  {
    handle: ChannelHandleInput,
    name: Type.String({ minLength: 1, maxLength: 64 }),
    description: Type.Optional(Type.String({ maxLength: 512 })),
  },
  { additionalProperties: false },
);
export type CreateChannel = Static<typeof CreateChannel>;

export const Channel = Type.Object({
  channelId: Id,
  /** `@name`, lower case. */
  handle: Type.String(),
  name: Type.String(),
  description: Type.String(),
  ...PublicMarks,
  /** `restricted`: blocked by an authority's order; only its owner still sees it. */
  status: ChannelStatus,
  followers: Type.Integer({ minimum: 0 }),
  createdAt: Millis,
  /** Whether the caller follows it, and whether the caller owns it (only the owner posts). */
  following: Type.Boolean(),
  owned: Type.Boolean(),
});
export type Channel = Static<typeof Channel>;

export const ChannelSearchQuery = Type.Object(
  {
    /** Matches the handle or the name, ignoring case. Without it: the most followed channels. */
    q: Type.Optional(Type.String({ maxLength: 64 })),
    limit: Type.Optional(Type.String({ pattern: '^[0-9]{1,3}$' })),
  },
  { additionalProperties: false },
);
export const ChannelList = Type.Object({ channels: Type.Array(Channel) });
export type ChannelList = Static<typeof ChannelList>;

/** A followed channel with what the follower has not read yet. */
export const FollowedChannel = Type.Object({
  ...Channel.properties,
  /** Visible posts after the follower's read cursor, counted up to 1000. */
  unread: Type.Integer({ minimum: 0 }),
  /** The follower's read cursor: every post up to this id is read. */
  readUpTo: Type.Integer({ minimum: 0 }),
  lastPostAt: Type.Union([Millis, Type.Null()]),
});
export type FollowedChannel = Static<typeof FollowedChannel>;
export const FollowedChannelList = Type.Object({ channels: Type.Array(FollowedChannel) });
export type FollowedChannelList = Static<typeof FollowedChannelList>;

export const CreateChannelPost = Type.Object(
  { text: Type.String({ minLength: 1, maxLength: 4096 }) },
  { additionalProperties: false },
);
export type CreateChannelPost = Static<typeof CreateChannelPost>;

export const ChannelPost = Type.Object({
  /** Increases with time across all channels; also the read cursor's unit. */
  postId: Type.Integer({ minimum: 1 }),
  channelId: Id,
  text: Type.String(),
  /** SHA-256 of the text's UTF-8 bytes, hex: the fingerprint a restriction order may name. */
  contentSha256: Type.String({ pattern: '^[0-9a-f]{64}$' }),
  ...PublicMarks,
  /** `restricted` posts are shown to the channel's owner only. */
  status: ChannelPostStatus,
  createdAt: Millis,
});
export type ChannelPost = Static<typeof ChannelPost>;

/** Newest first with `before` (or neither); oldest first with `after`. Cursors are opaque strings. */
export const ChannelPostsQuery = Type.Object(
  {
    before: Type.Optional(Type.String({ pattern: '^[0-9]{1,15}$' })),
    after: Type.Optional(Type.String({ pattern: '^[0-9]{1,15}$' })),
    limit: Type.Optional(Type.String({ pattern: '^[0-9]{1,3}$' })),
  },
  { additionalProperties: false },
);
export const ChannelPostPage = Type.Object({
  posts: Type.Array(ChannelPost),
  /** Pass as `before` (or `after`, in that direction) for the next page; null when there is none. */
  nextCursor: Type.Union([Type.String(), Type.Null()]),
});
export type ChannelPostPage = Static<typeof ChannelPostPage>;

/** Moves the follower's read cursor forward (never back). */
export const MarkChannelRead = Type.Object({ upTo: Type.Integer({ minimum: 0 }) }, { additionalProperties: false });
export type MarkChannelRead = Static<typeof MarkChannelRead>;

/** Pushed to online followers when a post is published. */
export const ChannelPostFrame = Type.Object({ type: Type.Literal('channel.post'), post: ChannelPost });
export type ChannelPostFrame = Static<typeof ChannelPostFrame>;

/** Pushed to online followers when a post is gone: deleted by its owner, or restricted by an order. */
export const ChannelPostRemovedFrame = Type.Object({
  type: Type.Literal('channel.post.removed'),
  channelId: Id,
  postId: Type.Integer({ minimum: 1 }),
  reason: Type.Union([Type.Literal('deleted'), Type.Literal('restricted')]),
});
export type ChannelPostRemovedFrame = Static<typeof ChannelPostRemovedFrame>;
