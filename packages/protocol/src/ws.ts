import { type Static, Type } from 'typebox';
import { ChannelPostFrame, ChannelPostRemovedFrame } from './api/channels';
import { ConversationId, SendMessage } from './api/messaging';
import { NoticeAckFrame, NoticeFrame, NoticeWithdrawnFrame } from './api/notices';
import { RestrictionAppliedEvent, RestrictionLiftedEvent } from './api/restrictions';
import { AccountState, Id, Millis } from './common';

/** Account events pushed to a user's devices. */
export const AccountEvent = Type.Union([
  Type.Object({ type: Type.Literal('device.linked'), deviceId: Id, name: Type.String(), at: Millis }),
  Type.Object({ type: Type.Literal('device.revoked'), deviceId: Id, at: Millis }),
  Type.Object({ type: Type.Literal('registration_lock.failed_attempt'), at: Millis, attemptsToday: Type.Integer() }),
  Type.Object({ type: Type.Literal('account.retired'), at: Millis }),
  Type.Object({
    type: Type.Literal('identification.changed'),
    state: AccountState,
    failure: Type.Union([Type.String(), Type.Null()]),
    deadlineAt: Type.Union([Millis, Type.Null()]),
    at: Millis,
  }),
  /** An authority's order restricted something of the account's, or that order ended. */
  RestrictionAppliedEvent,
  RestrictionLiftedEvent,
  /**
   * Application messages the account sent (from any of its devices) that every device they were queued for
   * (its own other devices too) has acknowledged, by their client message ids: one event per conversation and
   * acknowledgement. Told once, to the devices online then; a message that expired undelivered, or whose last
   * entry went with a revoked device, is never told delivered. Commits, proposals and Welcomes are not told.
   */
  Type.Object({
    type: Type.Literal('message.delivered'),
    conversationId: ConversationId,
    clientMessageIds: Type.Array(Id, { minItems: 1 }),
    at: Millis,
  }),
]);
export type AccountEvent = Static<typeof AccountEvent>;

/** One inbox entry: an MLS message for this device, in server order. */
export const InboxFrame = Type.Object({
  type: Type.Literal('message'),
  seq: Type.Integer(),
  conversationId: Type.String(),
  kind: Type.Union([
    Type.Literal('application'),
    Type.Literal('commit'),
    Type.Literal('proposal'),
    Type.Literal('welcome'),
  ]),
  epoch: Type.Integer(),
  senderAccountId: Type.Union([Id, Type.Null()]),
  senderDeviceId: Type.Union([Id, Type.Null()]),
  clientMessageId: Type.Union([Type.String(), Type.Null()]),
  payload: Type.String(),
  sentAt: Millis,
});
export type InboxFrame = Static<typeof InboxFrame>;

/**
 * A send over the socket, as `POST /v1/conversations/:conversationId/messages` with `message` as its body:
 * answered by `sent` once durably stored, or by an `error` frame that names the client message id. Like
 * concurrent HTTP sends, sends in flight together may be stored in any order: wait for `sent` when it matters.
 */
export const SendFrame = Type.Object(
  { type: Type.Literal('send'), conversationId: ConversationId, message: SendMessage },
  { additionalProperties: false },
);
export type SendFrame = Static<typeof SendFrame>;

/** Frames a device sends: acknowledge everything up to `seq` (the server then deletes it), ping, send. */
export const ClientFrame = Type.Union([
  Type.Object({ type: Type.Literal('ack'), seq: Type.Integer({ minimum: 0 }) }, { additionalProperties: false }),
  Type.Object({ type: Type.Literal('ping') }, { additionalProperties: false }),
  SendFrame,
  /** Official notices up to `upTo` reached this device (counts only; nothing is deleted). */
  NoticeAckFrame,
]);
export type ClientFrame = Static<typeof ClientFrame>;

/** Frames the server sends over the WebSocket. */
export const ServerFrame = Type.Union([
  InboxFrame,
  Type.Object({ type: Type.Literal('pong') }),
  Type.Object({ type: Type.Literal('ready'), deviceId: Id }),
  Type.Object({ type: Type.Literal('event'), event: AccountEvent }),
  /** Public channels the account follows (not end-to-end encrypted): a new post, a post gone. */
  ChannelPostFrame,
  ChannelPostRemovedFrame,
  /** Official notices for the account's number: a new one, one withdrawn by its authority. */
  NoticeFrame,
  NoticeWithdrawnFrame,
  /** A `send` frame's message is durably stored: the body `POST .../messages` answers with. */
  Type.Object({
    type: Type.Literal('sent'),
    clientMessageId: Id,
    messageId: Type.Integer(),
    epoch: Type.Integer(),
    duplicate: Type.Boolean(),
  }),
  /** `clientMessageId` when a `send` frame failed: the same codes as the HTTP send, in `status` its status. */
  Type.Object({
    type: Type.Literal('error'),
    code: Type.String(),
    message: Type.String(),
    clientMessageId: Type.Optional(Id),
    status: Type.Optional(Type.Integer()),
  }),
]);
export type ServerFrame = Static<typeof ServerFrame>;
