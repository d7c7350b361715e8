import { type Static, Type } from 'typebox';
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

/** Frames a device sends: acknowledge everything up to `seq` (the server then deletes it). */
export const ClientFrame = Type.Union([
  Type.Object({ type: Type.Literal('ack'), seq: Type.Integer({ minimum: 0 }) }, { additionalProperties: false }),
  Type.Object({ type: Type.Literal('ping') }, { additionalProperties: false }),
]);
export type ClientFrame = Static<typeof ClientFrame>;

/** Frames the server sends over the WebSocket. */
export const ServerFrame = Type.Union([
  InboxFrame,
  Type.Object({ type: Type.Literal('pong') }),
  Type.Object({ type: Type.Literal('ready'), deviceId: Id }),
  Type.Object({ type: Type.Literal('event'), event: AccountEvent }),
  Type.Object({ type: Type.Literal('error'), code: Type.String(), message: Type.String() }),
]);
export type ServerFrame = Static<typeof ServerFrame>;
