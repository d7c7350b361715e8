import { formatDateTime } from '../lib/format';
import { describeRestricted, useAccountRestrictions } from './use-account-restrictions';

/** Says, on every screen, that an order in force limits the whole account: what, on what basis, until when. */
export function AccountRestrictionBanner() {
  const { value } = useAccountRestrictions();
  const orders = (value ?? []).filter(
    (r) => r.status === 'active' && (r.restricted.type === 'account_sending' || r.restricted.type === 'account_reach'),
  );
  if (orders.length === 0) return null;
  return (
    <>
      {orders.map((r) => (
        <div key={r.orderId} className="notice notice-warning account-restriction" role="status">
          <p>
            <strong>By order {r.legalBasis.reference}:</strong> {describeRestricted(r)}{' '}
            {r.expiresAt ? `Until ${formatDateTime(r.expiresAt)}.` : 'Until the order is lifted.'}
          </p>
          <details>
            <summary>Legal ground</summary>
            <p className="legal-text">{r.legalBasis.text}</p>
          </details>
        </div>
      ))}
    </>
  );
}
