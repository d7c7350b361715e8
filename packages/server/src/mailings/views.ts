import type { Mailing, Notice, NoticeContent } from '@signet/protocol';
import { storedAudience } from './audience';
import type { MailingRow, SignedMailingRow } from './mailing-store';

/** The notice exactly as the authority signed it. */
export function noticeContent(row: MailingRow): NoticeContent {
  return { title: row.title, body: row.body, audience: storedAudience(row.audience), issuedAt: Number(row.issued_at) };
}

export function noticeView(row: SignedMailingRow): Notice {
  return {
    noticeId: Number(row.id),
    notice: noticeContent(row),
    signature: row.signature,
    authority: { authorityId: row.authority_id, name: row.authority_name, publicKey: row.public_key },
    sentAt: Number(row.sent_at),
  };
}

export function mailingView(row: MailingRow, counts: { delivered: number; read: number }): Mailing {
  return {
    mailingId: Number(row.id),
    authorityId: row.authority_id,
    notice: noticeContent(row),
    signature: row.signature,
    sentAt: Number(row.sent_at),
    status: row.status,
    withdrawnAt: row.withdrawn_at === null ? null : Number(row.withdrawn_at),
    counts: { audience: Number(row.audience_size), ...counts },
  };
}
