import { useId } from 'react';
import { ErrorNotice } from '../components/notice';
import { formatDateTime } from '../lib/format';
import { describeRestricted, useAccountRestrictions } from '../restrictions/use-account-restrictions';

const STATUS_WORDS = { active: 'in force', revoked: 'revoked', expired: 'expired' } as const;

/** The authorities' orders this account was told of: what each restricted, why, and whether it is still in force. */
export function RestrictionsSection() {
  const headingId = useId();
  const { value: orders, error } = useAccountRestrictions();
  return (
    <section className="card" aria-labelledby={headingId}>
      <h2 id={headingId}>Authority orders</h2>
      <p>
        When an authority’s order restricts something of yours (a public post or channel, or your account), Signet tells
        you here what and why, unless the order lawfully forbids it. Private chats are never read.
      </p>
      {orders?.length === 0 && <p>No order has restricted anything of yours.</p>}
      <ul className="device-list" aria-label="Orders about your account">
        {orders?.map((r) => (
          <li key={r.orderId} className="device">
            <div>
              <span className="device-name">{r.legalBasis.reference}</span>
              <span>{describeRestricted(r)}</span>
              <span className="hint">
                Told {formatDateTime(r.notifiedAt)} · {STATUS_WORDS[r.status]}
                {r.status === 'active' && r.expiresAt ? ` until ${formatDateTime(r.expiresAt)}` : ''}
                {r.endedAt ? ` since ${formatDateTime(r.endedAt)}` : ''}
              </span>
              <details>
                <summary>Legal ground</summary>
                <p className="legal-text">{r.legalBasis.text}</p>
              </details>
            </div>
          </li>
        ))}
      </ul>
      <ErrorNotice error={error} />
    </section>
  );
}
