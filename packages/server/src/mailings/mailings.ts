import { type Clock, HOUR, isUniqueViolation, type Logger, SECOND, sha256Hex } from '@signet/common';
import {
  AUTHORITY_SKEW_S,
  type CreateMailing,
  type Mailing,
  type MailingList,
  type MailingSent,
  type NoticeContent,
  noticeStringToSign,
} from '@signet/protocol';
import { sql } from 'kysely';
import type { AuditLog } from '../audit/audit-log';
import { AuditKind } from '../audit/kinds';
import { getAuthority } from '../authority/authority-store';
import type { AuthenticatedAuthority } from '../authority/request-auth';
import type { ServerDatabase } from '../db';
import { ApiError, invalidArgument, notFound } from '../errors';
import { canonicalAudience, storedAudience } from './audience';
import type { NoticeLive } from './live';
import * as store from './mailing-store';
import { noticeSignatureVerifies } from './signature';
import { mailingView, noticeContent } from './views';

/** How old a notice's `issuedAt` may be when it is sent. */
export const MAX_NOTICE_AGE = 24 * HOUR;
/** Control characters but line breaks and tabs, and unpaired surrogates: PostgreSQL cannot store NUL. */
const UNPRINTABLE = /[\p{Cc}\p{Cs}]/u;
/** Any one key, so that mailings are numbered in the order they commit (PostgreSQL). */
const MAILING_LOCK = 7_000_007;

/**
 * The authority side of official mailings: send (checking the authority's signature over the notice), list,
 * look at one with its delivery and read counts, withdraw. Sending and withdrawing are audited.
 */
export class Mailings {
  constructor(
    private readonly db: ServerDatabase,
    private readonly clock: Clock,
    private readonly audit: AuditLog,
    private readonly live: NoticeLive,
    private readonly log: Logger,
  ) {}

  async send(authority: AuthenticatedAuthority, input: CreateMailing): Promise<MailingSent> {
    const notice: NoticeContent = { ...input.notice, audience: canonicalAudience(input.notice.audience) };
    checkText(notice);
    const now = this.clock.now();
    if (notice.issuedAt > now + AUTHORITY_SKEW_S * SECOND) {
      throw invalidArgument("notice.issuedAt is in the future by the server's clock; check the clock and sign again");
    }
    if (notice.issuedAt < now - MAX_NOTICE_AGE) {
      throw invalidArgument('notice.issuedAt is more than 24 hours old: issue and sign the notice afresh');
    }
    const signer = await getAuthority(this.db.db, authority.authorityId);
    if (!signer || !noticeSignatureVerifies(signer.public_key, authority.authorityId, notice, input.signature)) {
      this.log.warn({ authorityId: authority.authorityId }, 'a mailing with a signature that does not verify');
      throw new ApiError(
        400,
        'INVALID_SIGNATURE',
        "the notice's signature does not verify with the authority's key: sign noticeStringToSign(authorityId, notice)",
        { reason: 'bad-notice-signature' },
      );
    }
    const existing = await store.findBySignature(this.db.db, input.signature);
    if (existing) return this.duplicate(authority, existing);

    const audienceSize = await store.countAudience(this.db.db, this.db.dialect, notice.audience);
    let id: number;
    try {
      id = await this.db.transaction(async (tx) => {
        if (this.db.dialect === 'postgres') await sql`select pg_advisory_xact_lock(${MAILING_LOCK})`.execute(tx);
        const mailingId = await store.insertMailing(tx, {
          authority_id: authority.authorityId,
          title: notice.title,
          body: notice.body,
          audience: JSON.stringify(notice.audience),
          issued_at: notice.issuedAt,
          signature: input.signature,
          sent_at: now,
          audience_size: audienceSize,
          status: 'active',
          withdrawn_at: null,
        });
        await this.audit.append(tx, {
          actor: { type: 'authority', id: authority.authorityId },
          kind: AuditKind.mailingSent,
          subject: `mailing:${mailingId}`,
          payload: {
            mailingId,
            authorityName: authority.name,
            title: notice.title,
            audience: notice.audience,
            prefixes: 'prefixes' in notice.audience ? notice.audience.prefixes.length : 0,
            audienceSize,
            issuedAt: notice.issuedAt,
            noticeSha256: sha256Hex(noticeStringToSign(authority.authorityId, notice)),
            signature: input.signature,
          },
        });
        return mailingId;
      });
    } catch (error) {
      // The same signed notice sent twice at once: the second is the first.
      const first = isUniqueViolation(error) ? await store.findBySignature(this.db.db, input.signature) : undefined;
      if (first) return this.duplicate(authority, first);
      throw error;
    }
    await this.live.publish({
      type: 'notice',
      notice: {
        noticeId: id,
        notice,
        signature: input.signature,
        authority: { authorityId: authority.authorityId, name: signer.name, publicKey: signer.public_key },
        sentAt: now,
      },
    });
    this.log.info({ mailingId: id, authorityId: authority.authorityId, audienceSize }, 'mailing sent');
    const row = await store.getMailing(this.db.db, id);
    return { ...mailingView(row as store.MailingRow, { delivered: 0, read: 0 }), duplicate: false };
  }

  async list(authority: AuthenticatedAuthority, before?: string, limitText?: string): Promise<MailingList> {
    const limit = Math.min(Math.max(Number(limitText ?? 20), 1), 100);
    const rows = await store.mailingsOf(this.db.db, authority.authorityId, before ? Number(before) : undefined, limit);
    const mailings: Mailing[] = [];
    for (const row of rows) mailings.push(await this.view(row));
    const last = rows[rows.length - 1];
    return { mailings, nextCursor: rows.length === limit && last ? String(last.id) : null };
  }

  async get(authority: AuthenticatedAuthority, idText: string): Promise<Mailing> {
    return this.view(await this.own(authority, idText));
  }

  /** Takes a notice out of every account's conversation (the row stays, for the record). Idempotent. */
  async withdraw(authority: AuthenticatedAuthority, idText: string): Promise<Mailing> {
    const row = await this.own(authority, idText);
    const now = this.clock.now();
    const counts = await this.counts(row);
    const withdrawn = await this.db.transaction(async (tx) => {
      if (!(await store.withdrawMailing(tx, row.id, now))) return false;
      await this.audit.append(tx, {
        actor: { type: 'authority', id: authority.authorityId },
        kind: AuditKind.mailingWithdrawn,
        subject: `mailing:${row.id}`,
        payload: { mailingId: row.id, authorityName: authority.name, title: row.title, ...counts },
      });
      return true;
    });
    if (withdrawn) {
      await this.live.publish({
        type: 'notice.withdrawn',
        noticeId: row.id,
        audience: storedAudience(row.audience),
        sentAt: Number(row.sent_at),
      });
    }
    return this.view((await store.getMailing(this.db.db, row.id)) as store.MailingRow);
  }

  private async own(authority: AuthenticatedAuthority, idText: string): Promise<store.MailingRow> {
    const row = await store.getMailing(this.db.db, Number(idText));
    // Another authority's mailing is answered as one that does not exist.
    if (!row || row.authority_id !== authority.authorityId) throw notFound(`no mailing ${idText} of yours`);
    return row;
  }

  private async duplicate(authority: AuthenticatedAuthority, row: store.MailingRow): Promise<MailingSent> {
    if (row.authority_id !== authority.authorityId) {
      throw invalidArgument('this signature belongs to another mailing');
    }
    return { ...(await this.view(row)), duplicate: true };
  }

  private async view(row: store.MailingRow): Promise<Mailing> {
    return mailingView(row, await this.counts(row));
  }

  private async counts(row: store.MailingRow): Promise<{ delivered: number; read: number }> {
    const mailing = { id: Number(row.id), sentAt: Number(row.sent_at), audience: noticeContent(row).audience };
    const [delivered, read] = await Promise.all([
      store.countReached(this.db.db, mailing, 'delivered_up_to'),
      store.countReached(this.db.db, mailing, 'read_up_to'),
    ]);
    return { delivered, read };
  }
}

function checkText(notice: NoticeContent): void {
  for (const part of ['title', 'body'] as const) {
    if (notice[part].trim() === '') throw invalidArgument(`notice.${part} must not be blank`);
    if (UNPRINTABLE.test(notice[part].replace(/[\n\r\t]/g, ''))) {
      throw invalidArgument(`notice.${part} must not contain control characters or unpaired surrogates`);
    }
  }
}
