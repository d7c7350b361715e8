import { type Static, Type } from 'typebox';

/** The one error shape of every API: `{ status, code, message }`. */
export const ErrorBody = Type.Object({
  status: Type.Integer(),
  code: Type.String({ pattern: '^[A-Z][A-Z0-9_]*$' }),
  message: Type.String(),
  /** Extra machine-readable facts for some codes (retry time, lock expiry). */
  details: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
});
export type ErrorBody = Static<typeof ErrorBody>;

/** Codes the messenger's API answers with, beyond the generic ones of each status. */
export const ErrorCodes = {
  INVALID_ARGUMENT: 400,
  INVALID_PHONE_NUMBER: 400,
  COUNTRY_NOT_ALLOWED: 400,
  UNAUTHENTICATED: 401,
  PERMISSION_DENIED: 403,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  CONFLICT: 409,
  ID_REUSED: 409,
  CODE_EXPIRED: 410,
  SESSION_EXPIRED: 410,
  TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  WRONG_CODE: 422,
  TOO_MANY_ATTEMPTS: 403,
  NOT_VERIFIED: 403,
  NOT_IDENTIFIED: 403,
  RECIPIENT_NOT_IDENTIFIED: 403,
  NOT_SUSPENDED_OR_FAILED: 409,
  REGISTRATION_LOCKED: 423,
  WRONG_PASSWORD: 422,
  TOO_MANY_REQUESTS: 429,
  RESEND_TOO_EARLY: 429,
  SMS_UNAVAILABLE: 503,
  UNAVAILABLE: 503,
  INTERNAL: 500,
} as const;
export type ErrorCode = keyof typeof ErrorCodes;
