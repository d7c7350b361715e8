import { type Static, type TSchema, Type } from 'typebox';
import { Id, Millis } from '../common';
import { LegalBasis } from './authority';

/**
 * Restriction orders (`/authority/v1/orders`, role `restriction`). An order names its legal basis, one target
 * and the action that target takes. End-to-end encrypted conversations and messages are never a target: the
 * server cannot read them, so private chats are restricted at the account level only (`account_sending`,
 * `account_reach`).
 */

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);

export const RESTRICTION_TARGET_TYPES = [
  'channel_post',
  'channel',
  'account_sending',
  'account_reach',
  'content_fingerprint',
] as const;
export type RestrictionTargetType = (typeof RESTRICTION_TARGET_TYPES)[number];

/**
 * The one action each target takes:
 * - `channel_post` → `hide`: the post is hidden from everyone but its channel's owner;
 * - `channel` → `hide`: the channel is hidden (not readable, followable, findable or postable) but to its owner;
 * - `account_sending` → `suspend`: the account sends nothing (messages, commits, attachments, new conversations,
 *   channels, channel posts); it still signs in, receives, reads and follows;
 * - `account_reach` → `limit`: the account's channels leave search and take no new followers, number lookup does
 *   not find it, and it starts no conversation and adds nobody; its existing conversations and followers stay;
 * - `content_fingerprint` → `block`: public posts whose text has this SHA-256 are hidden, and new ones refused.
 */
export const RESTRICTION_ACTIONS = {
  channel_post: 'hide',
  channel: 'hide',
  account_sending: 'suspend',
  account_reach: 'limit',
  content_fingerprint: 'block',
} as const satisfies Record<RestrictionTargetType, string>;
export type RestrictionAction = (typeof RESTRICTION_ACTIONS)[RestrictionTargetType];

export const RestrictionTargetTypeSchema = Type.Union([
  Type.Literal('channel_post'),
  Type.Literal('channel'),
  Type.Literal('account_sending'),
  Type.Literal('account_reach'),
  Type.Literal('content_fingerprint'),
]);
export const RestrictionActionSchema = Type.Union([
  Type.Literal('hide'),
  Type.Literal('suspend'),
  Type.Literal('limit'),
  Type.Literal('block'),
]);

/** An order's target, as the server stores and answers it. */
export const RestrictionTarget = Type.Union([
  Type.Object({ type: Type.Literal('channel_post'), postId: Type.Integer({ minimum: 1 }) }),
  Type.Object({ type: Type.Literal('channel'), channelId: Id }),
  Type.Object({ type: Type.Literal('account_sending'), accountId: Id }),
  Type.Object({ type: Type.Literal('account_reach'), accountId: Id }),
  Type.Object({ type: Type.Literal('content_fingerprint'), sha256: Type.String({ pattern: '^[0-9a-f]{64}$' }) }),
]);
export type RestrictionTarget = Static<typeof RestrictionTarget>;

/**
 * A target as sent. Its shape is checked by the server against `type`, field by field, so that a malformed
 * target is refused with a message that says what the type takes (and why a conversation or message cannot be
 * named) rather than a schema error.
 */
export const RestrictionTargetInput = Type.Object(
  {
    type: Type.String({ maxLength: 40, description: `one of ${RESTRICTION_TARGET_TYPES.join(', ')}` }),
    postId: Type.Optional(Type.Integer({ description: 'channel_post: the post number' })),
    channelId: Type.Optional(Type.String({ maxLength: 80, description: 'channel: the channel id' })),
    accountId: Type.Optional(Type.String({ maxLength: 80, description: 'account_sending, account_reach' })),
    sha256: Type.Optional(
      Type.String({ maxLength: 128, description: 'content_fingerprint: SHA-256 of the text, 64 hex digits' }),
    ),
  },
  { additionalProperties: true },
);
export type RestrictionTargetInput = Static<typeof RestrictionTargetInput>;

/** Whether the affected user is told. Withholding needs its own legal ground, which is audited. */
export const RestrictionNoticeInput = Type.Object(
  {
    withheld: Type.Boolean(),
    legalGround: Type.Optional(Type.String({ minLength: 1, maxLength: 2000 })),
  },
  { additionalProperties: false },
);
export type RestrictionNoticeInput = Static<typeof RestrictionNoticeInput>;

export const CreateRestrictionOrder = Type.Object(
  {
    legalBasis: LegalBasis,
    target: RestrictionTargetInput,
    action: Type.String({ maxLength: 40, description: 'the action the target takes: see RESTRICTION_ACTIONS' }),
    /** Milliseconds since the epoch, in the future; without it the order lasts until revoked. */
    expiresAt: Type.Optional(Millis),
    /** Default: the affected user is told. */
    notice: Type.Optional(RestrictionNoticeInput),
  },
  { additionalProperties: false },
);
export type CreateRestrictionOrder = Static<typeof CreateRestrictionOrder>;

export const RevokeRestrictionOrder = Type.Object(
  { reason: Type.String({ minLength: 1, maxLength: 2000 }) },
  { additionalProperties: false },
);
export type RevokeRestrictionOrder = Static<typeof RevokeRestrictionOrder>;

export const RestrictionOrderStatus = Type.Union([
  Type.Literal('active'),
  Type.Literal('revoked'),
  Type.Literal('expired'),
]);
export type RestrictionOrderStatus = Static<typeof RestrictionOrderStatus>;

export const RestrictionOrder = Type.Object(
  {
    orderId: Id,
    authorityId: Id,
    legalBasis: LegalBasis,
    target: RestrictionTarget,
    action: RestrictionActionSchema,
    status: RestrictionOrderStatus,
    notice: Type.Object({ withheld: Type.Boolean(), legalGround: Nullable(Type.String()) }),
    issuedAt: Millis,
    expiresAt: Nullable(Millis),
    /** When it was revoked or expired, and the revocation's reason. */
    endedAt: Nullable(Millis),
    endReason: Nullable(Type.String()),
    /** Channel posts this order hid (for `content_fingerprint`, those found then and later). */
    postsRestricted: Type.Integer({ minimum: 0 }),
  },
  { additionalProperties: false },
);
export type RestrictionOrder = Static<typeof RestrictionOrder>;

/** One audit entry whose subject is the order: issued, applied, revoked, expired. */
export const RestrictionAuditEntry = Type.Object({
  seq: Type.Integer({ minimum: 1 }),
  at: Millis,
  kind: Type.String(),
  actor: Type.Object({ type: Type.String(), id: Type.Optional(Type.String()) }),
  payload: Type.Record(Type.String(), Type.Unknown()),
  hash: Type.String(),
});
export type RestrictionAuditEntry = Static<typeof RestrictionAuditEntry>;

export const RestrictionOrderWithTrail = Type.Object({
  ...RestrictionOrder.properties,
  auditTrail: Type.Array(RestrictionAuditEntry),
});
export type RestrictionOrderWithTrail = Static<typeof RestrictionOrderWithTrail>;

export const RestrictionOrderParams = Type.Object({ orderId: Id });

export const RestrictionOrdersQuery = Type.Object(
  {
    status: Type.Optional(RestrictionOrderStatus),
    /** An order id: the page holds older orders only. */
    before: Type.Optional(Id),
    limit: Type.Optional(Type.String({ pattern: '^[0-9]{1,3}$' })),
  },
  { additionalProperties: false },
);
export type RestrictionOrdersQuery = Static<typeof RestrictionOrdersQuery>;

export const RestrictionOrderList = Type.Object({
  orders: Type.Array(RestrictionOrder),
  /** Pass as `before` for the next page; null when there is none. */
  nextCursor: Nullable(Id),
});
export type RestrictionOrderList = Static<typeof RestrictionOrderList>;

/** What an order restricted, as the affected user is told: their own post, channel or account, never others'. */
export const RestrictedItem = Type.Union([
  Type.Object({ type: Type.Literal('channel_post'), channelId: Id, postId: Type.Integer({ minimum: 1 }) }),
  Type.Object({ type: Type.Literal('channel'), channelId: Id }),
  Type.Object({ type: Type.Literal('account_sending') }),
  Type.Object({ type: Type.Literal('account_reach') }),
  Type.Object({
    type: Type.Literal('content_fingerprint'),
    sha256: Type.String(),
    /** The user's posts the order hid. New posts with the same text are refused. */
    posts: Type.Array(Type.Object({ channelId: Id, postId: Type.Integer({ minimum: 1 }) })),
  }),
]);
export type RestrictedItem = Static<typeof RestrictedItem>;

/** Pushed to the affected account's devices when an order reaches it (never when notice is withheld). */
export const RestrictionAppliedEvent = Type.Object({
  type: Type.Literal('restriction.applied'),
  orderId: Id,
  restricted: RestrictedItem,
  action: RestrictionActionSchema,
  legalBasis: LegalBasis,
  expiresAt: Nullable(Millis),
  at: Millis,
});
export type RestrictionAppliedEvent = Static<typeof RestrictionAppliedEvent>;

/** Pushed when an order the account was told of ends. */
export const RestrictionLiftedEvent = Type.Object({
  type: Type.Literal('restriction.lifted'),
  orderId: Id,
  targetType: RestrictionTargetTypeSchema,
  outcome: Type.Union([Type.Literal('revoked'), Type.Literal('expired')]),
  legalReference: Type.String(),
  at: Millis,
});
export type RestrictionLiftedEvent = Static<typeof RestrictionLiftedEvent>;

/** `GET /v1/account/restrictions`: the orders the account was told of, newest first, with their status now. */
export const AccountRestriction = Type.Object({
  orderId: Id,
  restricted: RestrictedItem,
  action: RestrictionActionSchema,
  legalBasis: LegalBasis,
  status: RestrictionOrderStatus,
  notifiedAt: Millis,
  expiresAt: Nullable(Millis),
  endedAt: Nullable(Millis),
});
export type AccountRestriction = Static<typeof AccountRestriction>;
export const AccountRestrictionList = Type.Object({ restrictions: Type.Array(AccountRestriction) });
export type AccountRestrictionList = Static<typeof AccountRestrictionList>;
