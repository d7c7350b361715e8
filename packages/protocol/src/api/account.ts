import { type Static, Type } from 'typebox';
import { AccountState, E164, Id, Millis } from '../common';

export const Account = Type.Object({
  accountId: Id,
  phoneNumber: E164,
  state: AccountState,
  hasPassword: Type.Boolean(),
  createdAt: Millis,
});
export type Account = Static<typeof Account>;

export const Device = Type.Object({
  id: Id,
  name: Type.String(),
  createdAt: Millis,
  lastSeenAt: Millis,
  /** True for the device that asks. */
  current: Type.Boolean(),
});
export type Device = Static<typeof Device>;

export const DeviceList = Type.Object({ devices: Type.Array(Device) });
export type DeviceList = Static<typeof DeviceList>;

export const DeviceParams = Type.Object({ deviceId: Id });

export const DevSmsQuery = Type.Object({ phoneNumber: Type.Optional(E164) }, { additionalProperties: false });
export const DevSmsList = Type.Object({
  messages: Type.Array(Type.Object({ to: E164, text: Type.String(), sentAt: Millis })),
});
export type DevSmsList = Static<typeof DevSmsList>;

export const Health = Type.Object({ status: Type.Literal('ok'), version: Type.String() });
