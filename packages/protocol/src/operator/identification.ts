/**
 * Operator Identification Protocol, version 1: the messages between a messenger and a mobile operator
 * (shared/spec/operator-identification-v1.md). Both sides of Signet validate against these.
 */
import { type Static, Type } from 'typebox';

/** Section 2: identifiers are 1 to 64 characters from [A-Za-z0-9_-]. */
export const OpId = Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' });
/** Section 2: E.164 with a leading plus. */
export const OpPhone = Type.String({ pattern: '^\\+[1-9][0-9]{4,14}$' });
/** RFC 3339 instant (validated with Date.parse too, since formats differ between validators). */
export const OpInstant = Type.String({
  pattern: '^\\d{4}-\\d{2}-\\d{2}[Tt]\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?([Zz]|[+-]\\d{2}:\\d{2})$',
});
export const CORRELATOR_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;
export const MAX_BATCH = 1000;

export const IdentificationReason = Type.Union([
  Type.Literal('registration'),
  Type.Literal('existing_user'),
  Type.Literal('reidentification'),
]);
export type IdentificationReason = Static<typeof IdentificationReason>;

/** Section 4.1: one item of a request batch. Every field is required. */
export const IdentificationRequestItem = Type.Object(
  {
    requestId: OpId,
    userCode: OpId,
    phoneNumber: OpPhone,
    reason: IdentificationReason,
    possessionVerifiedAt: OpInstant,
    requestedAt: OpInstant,
  },
  { additionalProperties: true },
);
export type IdentificationRequestItem = Static<typeof IdentificationRequestItem>;

/** Section 4.1: the batch envelope; items are checked one by one, so they are loose here. */
export const IdentificationBatch = Type.Object({
  messengerId: OpId,
  requests: Type.Array(Type.Unknown()),
});
export type IdentificationBatch = { messengerId: string; requests: IdentificationRequestItem[] };

export const RejectedItem = Type.Object({
  index: Type.Integer({ minimum: 0 }),
  requestId: Type.Union([OpId, Type.Null()]),
  code: Type.String(),
  message: Type.String(),
});
export type RejectedItem = Static<typeof RejectedItem>;

export const IdentificationAccepted = Type.Object({
  accepted: Type.Array(OpId),
  rejected: Type.Array(RejectedItem),
});
export type IdentificationAccepted = Static<typeof IdentificationAccepted>;

export const DenialReason = Type.Union([
  Type.Literal('SUBSCRIBER_NOT_FOUND'),
  Type.Literal('NUMBER_NOT_SERVED'),
  Type.Literal('SUBSCRIBER_DATA_MISSING'),
]);
export type DenialReason = Static<typeof DenialReason>;

/** Section 4.2: one result. */
export const IdentificationResult = Type.Object({
  requestId: OpId,
  userCode: OpId,
  phoneNumber: OpPhone,
  result: Type.Union([Type.Literal('confirmed'), Type.Literal('denied')]),
  reasonCode: Type.Optional(Type.Union([DenialReason, Type.Null()])),
  decidedAt: OpInstant,
});
export type IdentificationResult = Static<typeof IdentificationResult>;

export const IdentificationCompleted = Type.Object({
  type: Type.Literal('identification.completed'),
  operatorId: OpId,
  results: Type.Array(IdentificationResult, { minItems: 1 }),
});
export type IdentificationCompleted = Static<typeof IdentificationCompleted>;

export const TerminationReason = Type.Union([
  Type.Literal('contract_terminated'),
  Type.Literal('ported_out'),
  Type.Literal('number_reassigned'),
]);
export type TerminationReason = Static<typeof TerminationReason>;

/** Section 4.4: one notice. */
export const ContractTerminatedNotice = Type.Object({
  noticeId: OpId,
  phoneNumber: OpPhone,
  userCodes: Type.Array(OpId),
  reason: TerminationReason,
  terminatedAt: OpInstant,
});
export type ContractTerminatedNotice = Static<typeof ContractTerminatedNotice>;

export const ContractTerminated = Type.Object({
  type: Type.Literal('subscriber.contract_terminated'),
  operatorId: OpId,
  notices: Type.Array(ContractTerminatedNotice, { minItems: 1 }),
});
export type ContractTerminated = Static<typeof ContractTerminated>;

export type OperatorEvent = IdentificationCompleted | ContractTerminated;

/** Section 4.2: the answer of the polling endpoint while no result exists. */
export const PendingResult = Type.Object({ requestId: OpId, status: Type.Literal('pending') });
export type PendingResult = Static<typeof PendingResult>;

/** Section 4.5. */
export const Registration = Type.Object({
  userCode: OpId,
  phoneNumber: OpPhone,
  status: Type.Union([Type.Literal('active'), Type.Literal('terminated')]),
  changedAt: OpInstant,
});
export type Registration = Static<typeof Registration>;

export const RegistrationPage = Type.Object({
  registrations: Type.Array(Registration),
  nextCursor: Type.Union([Type.String(), Type.Null()]),
});
export type RegistrationPage = Static<typeof RegistrationPage>;

/** Section 2: the CAMARA error shape. */
export const OperatorErrorBody = Type.Object({
  status: Type.Integer(),
  code: Type.String(),
  message: Type.String(),
});
export type OperatorErrorBody = Static<typeof OperatorErrorBody>;

export const OperatorErrorCodes = {
  INVALID_ARGUMENT: 400,
  UNAUTHENTICATED: 401,
  PERMISSION_DENIED: 403,
  NOT_FOUND: 404,
  ID_REUSED: 409,
  TOO_LARGE: 413,
  TOO_MANY_REQUESTS: 429,
  UNAVAILABLE: 503,
} as const;

/** Section 2: instants compare as instants, not strings. */
export function instantMs(value: string): number {
  return Date.parse(value);
}

export function isInstant(value: string): boolean {
  return Number.isFinite(Date.parse(value));
}
