import { type Static, Type } from 'typebox';
import { AccountState, Id, Millis } from '../common';
import { PasswordProof } from './registration';

/** Why an identification failed. */
export const IdentificationFailure = Type.Union([
  Type.Literal('SUBSCRIBER_NOT_FOUND'),
  Type.Literal('NUMBER_NOT_SERVED'),
  Type.Literal('SUBSCRIBER_DATA_MISSING'),
  Type.Literal('DEADLINE_EXCEEDED'),
  Type.Literal('NO_OPERATOR'),
  Type.Literal('REJECTED'),
]);
export type IdentificationFailure = Static<typeof IdentificationFailure>;

export const IdentificationAttempt = Type.Object({
  requestId: Id,
  reason: Type.String(),
  operatorId: Type.Union([Id, Type.Null()]),
  status: Type.Union([
    Type.Literal('pending'),
    Type.Literal('confirmed'),
    Type.Literal('denied'),
    Type.Literal('failed'),
  ]),
  failure: Type.Union([Type.String(), Type.Null()]),
  requestedAt: Millis,
  deadlineAt: Millis,
  decidedAt: Type.Union([Millis, Type.Null()]),
});
export type IdentificationAttempt = Static<typeof IdentificationAttempt>;

export const IdentificationStatus = Type.Object({
  state: AccountState,
  /** Set while an operator is being asked. */
  deadlineAt: Type.Union([Millis, Type.Null()]),
  failure: Type.Union([Type.String(), Type.Null()]),
  /** Why the account is suspended: the operator's termination reason. */
  suspendedReason: Type.Union([Type.String(), Type.Null()]),
  identifiedAt: Type.Union([Millis, Type.Null()]),
  /** What the user can do now, in words a client may show. */
  hint: Type.String(),
  attempts: Type.Array(IdentificationAttempt),
});
export type IdentificationStatus = Static<typeof IdentificationStatus>;

/** Retry after a failure, or re-identify after a suspension: both need a fresh SMS code. */
export const Reidentify = Type.Object(
  { verificationSessionId: Id, password: Type.Optional(PasswordProof) },
  { additionalProperties: false },
);
export type Reidentify = Static<typeof Reidentify>;
