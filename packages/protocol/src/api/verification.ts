import { type Static, Type } from 'typebox';
import { E164, Id, Millis, PhoneInput } from '../common';

export const CreateVerificationSession = Type.Object({ phoneNumber: PhoneInput }, { additionalProperties: false });
export type CreateVerificationSession = Static<typeof CreateVerificationSession>;

export const VerificationSessionParams = Type.Object({ sessionId: Id });

export const SubmitCode = Type.Object(
  { code: Type.String({ pattern: '^[0-9]{6}$', description: 'the 6-digit code from the SMS' }) },
  { additionalProperties: false },
);
export type SubmitCode = Static<typeof SubmitCode>;

export const VerificationSession = Type.Object({
  id: Id,
  phoneNumber: E164,
  verified: Type.Boolean(),
  /** When the code last sent stops working. */
  codeExpiresAt: Millis,
  /** When another code may be requested; null once no resend is left. */
  nextResendAt: Type.Union([Millis, Type.Null()]),
  resendsLeft: Type.Integer({ minimum: 0 }),
  attemptsLeft: Type.Integer({ minimum: 0 }),
});
export type VerificationSession = Static<typeof VerificationSession>;
