import { type Static, Type } from 'typebox';

/** E.164 with a leading plus, as every API and the operator protocol carry numbers. */
export const E164 = Type.String({ pattern: '^\\+[1-9][0-9]{4,14}$', description: 'E.164 phone number' });

/** What a user types: loose, normalised by the server. */
export const PhoneInput = Type.String({ minLength: 3, maxLength: 32, description: 'phone number, ideally E.164' });

/** An opaque identifier of 1 to 64 characters from [A-Za-z0-9_-]. */
export const Id = Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' });

/** Milliseconds since the Unix epoch. */
export const Millis = Type.Integer({ minimum: 0 });

/** RFC 3339 instant. */
export const Instant = Type.String({ format: 'date-time' });

export const AccountState = Type.Union([
  Type.Literal('unverified'),
  Type.Literal('pending'),
  Type.Literal('identified'),
  Type.Literal('failed'),
  Type.Literal('suspended'),
  Type.Literal('retired'),
]);
export type AccountState = Static<typeof AccountState>;

export const Empty = Type.Object({}, { additionalProperties: false });
export type Empty = Static<typeof Empty>;
