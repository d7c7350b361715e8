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

/**
 * Section 4.2: one result. A denial always names its reason; a confirmation carries a null reasonCode or
 * none, so the two are separate shapes (a `denied` without a reason fails the event as a whole).
 */
export const ConfirmedResult = Type.Object({
  requestId: OpId,
  userCode: OpId,
  phoneNumber: OpPhone,
  result: Type.Literal('confirmed'),
  reasonCode: Type.Optional(Type.Null()),
  decidedAt: OpInstant,
});
export const DeniedResult = Type.Object({
  requestId: OpId,
  userCode: OpId,
  phoneNumber: OpPhone,
  result: Type.Literal('denied'),
  reasonCode: DenialReason,
  decidedAt: OpInstant,
});
export const IdentificationResult = Type.Union([ConfirmedResult, DeniedResult]);
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

/** Section 2: the CAMARA error shape; codes are UPPER_SNAKE. */
export const OperatorErrorBody = Type.Object({
  status: Type.Integer(),
  code: Type.String({ pattern: '^[A-Z][A-Z0-9_]*$' }),
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

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/;

/**
 * A strict RFC 3339 instant: milliseconds since the epoch plus the digits below the millisecond (so that
 * `.0001` and `.0002` still differ), or undefined. Date.parse alone accepts `02-30` and `24:00`.
 */
export function parseInstant(value: string): { ms: number; subMs: string } | undefined {
  const m = RFC3339.exec(value);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const offH = m[10] === undefined ? 0 : Number(m[10]);
  const offM = m[11] === undefined ? 0 : Number(m[11]);
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth) return undefined;
  if (hour > 23 || minute > 59 || second > 59 || offH > 23 || offM > 59) return undefined;
  const fraction = m[7] ?? '';
  const offset = (m[9] === '-' ? -1 : 1) * (offH * 60 + offM) * 60_000;
  const utc = Date.UTC(year, month - 1, day, hour, minute, second, Number(fraction.slice(0, 3).padEnd(3, '0')));
  // Date.UTC maps years 0-99 to 1900-1999; set the year again so that every four-digit year is itself.
  const exact = new Date(utc);
  exact.setUTCFullYear(year, month - 1, day);
  return { ms: exact.getTime() - offset, subMs: fraction.slice(3).replace(/0+$/, '') };
}

/** Section 2: instants compare as instants, not strings. NaN for a value that is not RFC 3339. */
export function instantMs(value: string): number {
  return parseInstant(value)?.ms ?? Number.NaN;
}

export function isInstant(value: string): boolean {
  return parseInstant(value) !== undefined;
}

/** True when two RFC 3339 strings name the same instant (`…:00Z` equals `…:00.000Z` and `…:00+00:00`). */
export function sameInstant(a: string, b: string): boolean {
  const x = parseInstant(a);
  const y = parseInstant(b);
  return x !== undefined && y !== undefined && x.ms === y.ms && x.subMs === y.subMs;
}
