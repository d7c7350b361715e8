import type { NoticeVerification, VerifiedNotice } from '@signet/client';
import { formatDateTime } from '../lib/format';

const WARNINGS: Record<Exclude<NoticeVerification, 'verified'>, string> = {
  'bad-signature':
    'Not verified: the signature does not match this text. It may have been altered or forged; do not act on it.',
  'key-changed':
    'Not verified: the server now names a different key for this authority than the one this device saw first. Do not act on it.',
  unverifiable: 'Not verified: this browser cannot check the signature. Treat it with caution.',
};

/** One notice: its sender (with the result of the signature check), title, text, time and audience. */
export function NoticeItem({ notice }: { notice: VerifiedNotice }) {
  const { title, body, audience } = notice.notice;
  const verified = notice.verification === 'verified';
  return (
    <li className={`message official-notice${verified ? '' : ' official-notice-unverified'}`}>
      <p className="notice-sender">
        <span className="notice-authority">{notice.authority.name}</span>
        {verified ? (
          <span
            className="badge badge-verified"
            title={`Signed with ${notice.authority.name}’s key; this device checked the signature`}
          >
            Verified
          </span>
        ) : (
          <span className="badge badge-unverified">Not verified</span>
        )}
      </p>
      {notice.verification !== 'verified' && (
        <p className="signature-warning" role="alert">
          {WARNINGS[notice.verification]}
        </p>
      )}
      <h3 className="notice-title">{title}</h3>
      <p className="message-text">{body}</p>
      <span className="message-meta">
        <span>{'all' in audience ? 'To everyone' : `To numbers starting ${audience.prefixes.join(', ')}`}</span>
        <time dateTime={new Date(notice.sentAt).toISOString()}>{formatDateTime(notice.sentAt)}</time>
      </span>
    </li>
  );
}
