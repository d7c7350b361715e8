import { useState } from 'react';
import { Notice } from '../../components/notice';
import { StepHeading } from '../../components/step-heading';
import { OrderForm } from './order-form';
import { OrderList } from './order-list';
import { describeTarget } from './targets';

/** Restriction orders: issue one, and follow every order of this authority with its status and audit trail. */
export function OrdersPage() {
  const [revision, setRevision] = useState(0);
  const [done, setDone] = useState<string>();
  return (
    <div className="stack">
      <StepHeading>Restriction orders</StepHeading>
      {done && <Notice kind="success">{done}</Notice>}
      <div className="console-columns">
        <OrderForm
          onIssued={(order) => {
            const hidden = order.postsRestricted;
            setDone(
              `Order ${order.orderId} issued: ${describeTarget(order.target)} — ${order.action}.` +
                (hidden > 0 ? ` ${hidden} post${hidden === 1 ? '' : 's'} hidden.` : ''),
            );
            setRevision((r) => r + 1);
          }}
        />
        <OrderList
          revision={revision}
          onRevoked={(order) => {
            setDone(`Order ${order.orderId} (${order.legalBasis.reference}) revoked: what it restricted is restored.`);
            setRevision((r) => r + 1);
          }}
        />
      </div>
    </div>
  );
}
