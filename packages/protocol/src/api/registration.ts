import { type Static, Type } from 'typebox';
import { AccountState, Id } from '../common';

const OpaqueMessage = Type.String({ minLength: 1, maxLength: 4096, pattern: '^[A-Za-z0-9_-]+$' });

export const DeviceName = Type.String({ minLength: 1, maxLength: 64 });

/** Proof of the registration-lock password: the last OPAQUE login message. */
export const PasswordProof = Type.Object(
  { loginId: Id, finishLoginRequest: OpaqueMessage },
  { additionalProperties: false },
);

export const Register = Type.Object(
  {
    verificationSessionId: Id,
    deviceName: DeviceName,
    password: Type.Optional(PasswordProof),
    /**
     * Asks for a new account when the number's account is locked but the lock no longer protects it
     * (suspended after its contract ended, or inactive past the lock period). The old one is retired.
     */
    newAccount: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type Register = Static<typeof Register>;

export const Registered = Type.Object({
  accountId: Id,
  deviceId: Id,
  /** The bearer token of this device's session: shown once, stored by the server only as a hash. */
  token: Type.String(),
  state: AccountState,
  /** `created`: a new account; `existing`: a new device on the number's account; `replaced`: a new account, the old one retired. */
  outcome: Type.Union([Type.Literal('created'), Type.Literal('existing'), Type.Literal('replaced')]),
});
export type Registered = Static<typeof Registered>;

export const StartPasswordLogin = Type.Object(
  { verificationSessionId: Id, startLoginRequest: OpaqueMessage },
  { additionalProperties: false },
);
export type StartPasswordLogin = Static<typeof StartPasswordLogin>;

export const PasswordLoginStarted = Type.Object({ loginId: Id, loginResponse: Type.String() });
export type PasswordLoginStarted = Static<typeof PasswordLoginStarted>;

export const StartPasswordSetup = Type.Object({ registrationRequest: OpaqueMessage }, { additionalProperties: false });
export type StartPasswordSetup = Static<typeof StartPasswordSetup>;

export const PasswordSetupStarted = Type.Object({ registrationResponse: Type.String() });
export type PasswordSetupStarted = Static<typeof PasswordSetupStarted>;

export const FinishPasswordSetup = Type.Object({ registrationRecord: OpaqueMessage }, { additionalProperties: false });
export type FinishPasswordSetup = Static<typeof FinishPasswordSetup>;
