import { type Static, type TSchema, Type } from 'typebox';
import { Id, Millis } from '../common';

/**
 * The authority API (`/authority/v1/...`). Authorities are principals of their own, never user accounts;
 * every request is signed with the authority's Ed25519 key (see `authorityStringToSign`).
 */

export const AUTHORITY_ROLES = ['restriction', 'mailing', 'data-request'] as const;
export type AuthorityRole = (typeof AUTHORITY_ROLES)[number];
export const AuthorityRole = Type.Union(AUTHORITY_ROLES.map((r) => Type.Literal(r)));

/** The headers of a signed authority request. */
export const AUTHORITY_HEADERS = {
  authority: 'signet-authority',
  timestamp: 'signet-timestamp',
  nonce: 'signet-nonce',
  signature: 'signet-signature',
} as const;

/** How far a request's timestamp may be from the server's clock, either way. */
export const AUTHORITY_SKEW_S = 300;

/** Nonces: 16 to 64 characters of [A-Za-z0-9_-], never reused by one authority within the skew window. */
export const AUTHORITY_NONCE_PATTERN = /^[A-Za-z0-9_-]{16,64}$/;

export interface AuthoritySignedParts {
  method: string;
  /** The request target exactly as sent: path and query string (`/authority/v1/data-requests`). */
  target: string;
  authorityId: string;
  /** Unix time in seconds, as sent in Signet-Timestamp. */
  timestamp: number | string;
  nonce: string;
  /** Lower-case hex SHA-256 of the body bytes (of nothing, for a request without a body). */
  bodySha256: string;
}

/**
 * What an authority signs with Ed25519 (the signature goes in Signet-Signature, base64url): six lines
 * joined by `\n`, led by a version tag so that the signature means nothing anywhere else.
 */
export function authorityStringToSign(p: AuthoritySignedParts): string {
  return [
    'signet-authority-request-v1',
    p.method.toUpperCase(),
    p.target,
    p.authorityId,
    String(p.timestamp),
    p.nonce,
    p.bodySha256,
  ].join('\n');
}

/** Who the signature belongs to, as `GET /authority/v1/me` answers. */
export const AuthorityIdentity = Type.Object({
  authorityId: Id,
  name: Type.String(),
  roles: Type.Array(AuthorityRole),
});
export type AuthorityIdentity = Static<typeof AuthorityIdentity>;

/** Blank text is refused by the server with a clear message. */
const NonBlank = (maxLength: number, description: string) => Type.String({ minLength: 1, maxLength, description });

/** The lawful ground of a request: both parts are required and must not be blank. */
export const LegalBasis = Type.Object(
  {
    reference: NonBlank(200, 'the reference of the decision or order (number, date, issuing body)'),
    text: NonBlank(10_000, 'the legal ground, in words'),
  },
  { additionalProperties: false },
);
export type LegalBasis = Static<typeof LegalBasis>;

/** Whose record is asked for: exactly one of a phone number (E.164) or an account id. */
export const DataRequestTarget = Type.Object(
  {
    phoneNumber: Type.Optional(Type.String({ maxLength: 32, description: 'E.164, e.g. +79001234567' })),
    accountId: Type.Optional(Type.String({ maxLength: 80 })),
  },
  { additionalProperties: false },
);
export type DataRequestTarget = Static<typeof DataRequestTarget>;

export const CreateDataRequest = Type.Object(
  { legalBasis: LegalBasis, target: DataRequestTarget },
  { additionalProperties: false },
);
export type CreateDataRequest = Static<typeof CreateDataRequest>;

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);

/** One identification request of the account, as sent to its operator and as answered. */
export const DisclosedIdentification = Type.Object(
  {
    requestId: Id,
    reason: Type.String(),
    operatorId: Nullable(Type.String()),
    phoneNumber: Type.String(),
    identificationCode: Type.String(),
    status: Type.String(),
    failure: Nullable(Type.String()),
    possessionVerifiedAt: Millis,
    requestedAt: Millis,
    decidedAt: Nullable(Millis),
  },
  { additionalProperties: false },
);
export type DisclosedIdentification = Static<typeof DisclosedIdentification>;

/** A retained account event: registration, sign-in (with the client address), device, identification. */
export const DisclosedAccountEvent = Type.Object(
  {
    type: Type.String(),
    at: Millis,
    address: Nullable(Type.String()),
    detail: Nullable(Type.Record(Type.String(), Type.Unknown())),
  },
  { additionalProperties: false },
);
export type DisclosedAccountEvent = Static<typeof DisclosedAccountEvent>;

/** The identification record of one account, current, retired or deleted, and nothing else. */
export const DisclosedAccount = Type.Object(
  {
    accountId: Type.String(),
    phoneNumber: Type.String(),
    /** The account's identification code (the user code sent to operators). */
    identificationCode: Type.String(),
    /** The operator of the account's latest identification request. */
    operatorId: Nullable(Type.String()),
    /** The account's state; `deleted` when only its retained records remain. */
    state: Type.String(),
    createdAt: Nullable(Millis),
    identifiedAt: Nullable(Millis),
    retiredAt: Nullable(Millis),
    identificationHistory: Type.Array(DisclosedIdentification),
    events: Type.Array(DisclosedAccountEvent),
  },
  { additionalProperties: false },
);
export type DisclosedAccount = Static<typeof DisclosedAccount>;

export const DataRequestAnswer = Type.Object(
  {
    requestId: Id,
    receivedAt: Millis,
    legalBasis: LegalBasis,
    target: DataRequestTarget,
    accounts: Type.Array(DisclosedAccount),
  },
  { additionalProperties: false },
);
export type DataRequestAnswer = Static<typeof DataRequestAnswer>;
