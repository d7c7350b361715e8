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

/** Frames the server sends over the WebSocket. */
export const ServerFrame = Type.Union([
  Type.Object({ type: Type.Literal('ready'), deviceId: Id }),
  Type.Object({ type: Type.Literal('event'), event: AccountEvent }),
  Type.Object({ type: Type.Literal('error'), code: Type.String(), message: Type.String() }),
]);
export type ServerFrame = Static<typeof ServerFrame>;
