import { type Static, Type } from 'typebox';
import { Id, Millis } from '../common';

/**
 * Official mass mailings. An authority with the `mailing` role signs a notice with its own Ed25519 key and
 * posts it (`POST /authority/v1/mailings`); the server stores it once, and every account in its audience reads
 * it in a read-only "Official notices" conversation (`/v1/notices`), which can be muted but not blocked.
 * Clients check the authority's signature over `noticeStringToSign` themselves.
 */

/** The id the read-only "Official notices" conversation goes by; a block naming it is refused. */
export const OFFICIAL_NOTICES_ID = 'official-notices';

/** The version tag that leads every signed notice, so that the signature means nothing anywhere else. */
export const NOTICE_SIGNATURE_VERSION = 'signet-notice-v1';

/** The start of an E.164 number: a plus and 1 to 15 digits, the first not zero (`+7`, `+7900`, `+7900123`). */
export const E164Prefix = Type.String({ pattern: '^\\+[1-9][0-9]{0,14}$', description: 'E.164 prefix, e.g. +7900' });

/** Everyone identified, or the accounts whose numbers start with one of 1 to 100 prefixes. */
export const NoticeAudience = Type.Union([
  Type.Object({ all: Type.Literal(true) }, { additionalProperties: false }),
  Type.Object({ prefixes: Type.Array(E164Prefix, { minItems: 1, maxItems: 100 }) }, { additionalProperties: false }),
]);
export type NoticeAudience = Static<typeof NoticeAudience>;

/** What the authority signs, with its id (see `noticeStringToSign`). */
export const NoticeContent = Type.Object(
  {
    title: Type.String({ minLength: 1, maxLength: 200 }),
    body: Type.String({ minLength: 1, maxLength: 4000 }),
    audience: NoticeAudience,
    /** When the authority issued it, by its own clock (milliseconds since the epoch). */
    issuedAt: Millis,
  },
  { additionalProperties: false },
);
export type NoticeContent = Static<typeof NoticeContent>;

/** An Ed25519 signature: 64 bytes in unpadded base64url. */
export const NoticeSignature = Type.String({ pattern: '^[A-Za-z0-9_-]{86}$' });

/**
 * The exact text an authority signs for a notice: six lines joined by `\n`. The title and body are written as
 * JSON strings (so that line breaks in them cannot be confused with the separators), the prefixes sorted and
 * without repeats (so that their order does not matter), the time in milliseconds.
 *
 * ```
 * signet-notice-v1
 * auth_…                  (the authority id)
 * 1800000000000           (issuedAt)
 * all | prefixes +7900,+7901
 * "the title"
 * "the body"
 * ```
 */
export function noticeStringToSign(authorityId: string, notice: NoticeContent): string {
  return [
    NOTICE_SIGNATURE_VERSION,
    authorityId,
    String(notice.issuedAt),
    audienceLine(notice.audience),
    JSON.stringify(notice.title),
    JSON.stringify(notice.body),
  ].join('\n');
}

function audienceLine(audience: NoticeAudience): string {
  if ('all' in audience) return 'all';
  return `prefixes ${canonicalPrefixes(audience.prefixes).join(',')}`;
}

/** Prefixes sorted and without repeats, as they are signed and stored. */
export function canonicalPrefixes(prefixes: readonly string[]): string[] {
  return [...new Set(prefixes)].sort();
}

/** Whether a number (E.164) is in the audience. */
export function audienceIncludes(audience: NoticeAudience, phoneNumber: string): boolean {
  return 'all' in audience || audience.prefixes.some((p) => phoneNumber.startsWith(p));
}

// --- The authority side.

export const CreateMailing = Type.Object(
  {
    notice: NoticeContent,
    /** The authority's Ed25519 signature over `noticeStringToSign(authorityId, notice)`, base64url. */
    signature: NoticeSignature,
  },
  { additionalProperties: false },
);
export type CreateMailing = Static<typeof CreateMailing>;

export const MailingStatus = Type.Union([Type.Literal('active'), Type.Literal('withdrawn')]);
export type MailingStatus = Static<typeof MailingStatus>;

/** A mailing as its authority sees it, with how far it has got. */
export const Mailing = Type.Object({
  /** Increases with every mailing; also the unit of the accounts' delivered and read cursors. */
  mailingId: Type.Integer({ minimum: 1 }),
  authorityId: Id,
  notice: NoticeContent,
  signature: NoticeSignature,
  sentAt: Millis,
  status: MailingStatus,
  withdrawnAt: Type.Union([Millis, Type.Null()]),
  counts: Type.Object({
    /** Identified accounts in the audience when it was sent. */
    audience: Type.Integer({ minimum: 0 }),
    /** Accounts in the audience whose devices have fetched it or acknowledged it live. */
    delivered: Type.Integer({ minimum: 0 }),
    /** Accounts in the audience that have marked it read. */
    read: Type.Integer({ minimum: 0 }),
  }),
});
export type Mailing = Static<typeof Mailing>;

/** The answer to a send: the mailing, and whether the same signed notice had been sent already. */
export const MailingSent = Type.Object({ ...Mailing.properties, duplicate: Type.Boolean() });
export type MailingSent = Static<typeof MailingSent>;

export const MailingParams = Type.Object({ mailingId: Type.String({ pattern: '^[0-9]{1,15}$' }) });

/** Newest first; `before` is a page's `nextCursor`. */
export const MailingListQuery = Type.Object(
  {
    before: Type.Optional(Type.String({ pattern: '^[0-9]{1,15}$' })),
    limit: Type.Optional(Type.String({ pattern: '^[0-9]{1,3}$' })),
  },
  { additionalProperties: false },
);
export const MailingList = Type.Object({
  mailings: Type.Array(Mailing),
  nextCursor: Type.Union([Type.String(), Type.Null()]),
});
export type MailingList = Static<typeof MailingList>;

// --- The account side.

/** Who signed a notice: what a client needs to check the signature and to show the sender. */
export const NoticeSender = Type.Object({
  authorityId: Id,
  name: Type.String(),
  /** Raw Ed25519 public key, 32 bytes in base64url. */
  publicKey: Type.String(),
});
export type NoticeSender = Static<typeof NoticeSender>;

export const NoticeAuthority = Type.Object({ ...NoticeSender.properties, disabled: Type.Boolean() });
export type NoticeAuthority = Static<typeof NoticeAuthority>;
export const NoticeAuthorityParams = Type.Object({ authorityId: Id });

/** A notice as an account reads it: exactly what was signed, the signature, and the sender. */
export const Notice = Type.Object({
  noticeId: Type.Integer({ minimum: 1 }),
  notice: NoticeContent,
  signature: NoticeSignature,
  authority: NoticeSender,
  /** When the server accepted it. */
  sentAt: Millis,
});
export type Notice = Static<typeof Notice>;

/** The account's one row of notice state. */
export const NoticeState = Type.Object({
  /** Every notice up to this id has reached one of the account's devices. */
  deliveredUpTo: Type.Integer({ minimum: 0 }),
  /** Every notice up to this id is read. */
  readUpTo: Type.Integer({ minimum: 0 }),
  muted: Type.Boolean(),
  /** Notices after `readUpTo`, counted up to 1000. */
  unread: Type.Integer({ minimum: 0 }),
});
export type NoticeState = Static<typeof NoticeState>;

/** Oldest first, after the cursor (default: from the beginning). */
export const NoticeListQuery = Type.Object(
  {
    after: Type.Optional(Type.String({ pattern: '^[0-9]{1,15}$' })),
    limit: Type.Optional(Type.String({ pattern: '^[0-9]{1,3}$' })),
  },
  { additionalProperties: false },
);
export const NoticePage = Type.Object({
  notices: Type.Array(Notice),
  /** Pass as `after` for the next page; null when this page reached the newest notice. */
  nextCursor: Type.Union([Type.String(), Type.Null()]),
  state: NoticeState,
});
export type NoticePage = Static<typeof NoticePage>;

export const MarkNoticesRead = Type.Object({ upTo: Type.Integer({ minimum: 0 }) }, { additionalProperties: false });
export type MarkNoticesRead = Static<typeof MarkNoticesRead>;
export const MuteNotices = Type.Object({ muted: Type.Boolean() }, { additionalProperties: false });
export type MuteNotices = Static<typeof MuteNotices>;

/** Pushed to the online devices of the accounts in a notice's audience. */
export const NoticeFrame = Type.Object({ type: Type.Literal('notice'), notice: Notice });
export type NoticeFrame = Static<typeof NoticeFrame>;

/** Pushed when the authority withdraws a notice: clients take it out of the conversation. */
export const NoticeWithdrawnFrame = Type.Object({
  type: Type.Literal('notice.withdrawn'),
  noticeId: Type.Integer({ minimum: 1 }),
});
export type NoticeWithdrawnFrame = Static<typeof NoticeWithdrawnFrame>;

/** A device tells the server that every notice up to `upTo` has reached it (the delivered count). */
export const NoticeAckFrame = Type.Object(
  { type: Type.Literal('notice.ack'), upTo: Type.Integer({ minimum: 0 }) },
  { additionalProperties: false },
);
export type NoticeAckFrame = Static<typeof NoticeAckFrame>;
