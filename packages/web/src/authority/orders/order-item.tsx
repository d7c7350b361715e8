import type { RestrictionOrder } from '@signet/protocol';
import { useState } from 'react';
import { formatDateTime } from '../../lib/format';
import { AuditTrail } from './audit-trail';
import { RevokeOrder } from './revoke-order';
import { describeTarget } from './targets';

/** One order: its legal basis, target and action, status and dates, who is told, its audit trail, and revoking. */
export function OrderItem({
  order,
  onRevoked,
}: {
  order: RestrictionOrder;
  onRevoked: (order: RestrictionOrder) => void;
}) {
  const [trailOpen, setTrailOpen] = useState(false);
  return (
    <li className="order">
      <div className="order-head">
        <span className="order-reference">{order.legalBasis.reference}</span>
        <span className={`badge badge-order-${order.status}`}>{order.status}</span>
      </div>
      <p className="order-target">
        {describeTarget(order.target)} → <strong>{order.action}</strong>
      </p>
      <dl className="facts">
        <dt>Order</dt>
        <dd className="mono">{order.orderId}</dd>
        <dt>Issued</dt>
        <dd>{formatDateTime(order.issuedAt)}</dd>
        <dt>Ends</dt>
        <dd>{order.expiresAt ? formatDateTime(order.expiresAt) : 'When revoked'}</dd>
        {order.endedAt !== null && (
          <>
            <dt>{order.status === 'revoked' ? 'Revoked' : 'Ended'}</dt>
            <dd>
              {formatDateTime(order.endedAt)}
              {order.endReason ? `: ${order.endReason}` : ''}
            </dd>
          </>
        )}
        {(order.target.type === 'channel_post' || order.target.type === 'content_fingerprint') && (
          <>
            <dt>Posts hidden</dt>
            <dd>{order.postsRestricted}</dd>
          </>
        )}
        <dt>Affected user</dt>
        <dd>{order.notice.withheld ? `Not told: ${order.notice.legalGround ?? ''}` : 'Told what and why'}</dd>
      </dl>
      <details className="legal-details">
        <summary>Legal ground</summary>
        <p className="legal-text">{order.legalBasis.text}</p>
      </details>
      <details className="audit" onToggle={(e) => setTrailOpen(e.currentTarget.open)}>
        <summary>Audit trail</summary>
        {trailOpen && <AuditTrail orderId={order.orderId} />}
      </details>
      {order.status === 'active' && <RevokeOrder order={order} onRevoked={onRevoked} />}
    </li>
  );
}
