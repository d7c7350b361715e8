import type { RestrictionOrder, RestrictionOrderStatus } from '@signet/protocol';
import { useEffect, useId, useState } from 'react';
import { ErrorNotice } from '../../components/notice';
import { describeAuthorityError } from '../authority-errors';
import { useConsole } from '../console-context';
import { OrderItem } from './order-item';

interface OrderListProps {
  /** Moves when an order was issued or revoked here: the list is read again. */
  revision: number;
  onRevoked: (order: RestrictionOrder) => void;
}

/** This authority's orders, newest first, a page at a time. */
export function OrderList({ revision, onRevoked }: OrderListProps) {
  const { client } = useConsole();
  const headingId = useId();
  const filterId = useId();
  const [status, setStatus] = useState<RestrictionOrderStatus | ''>('');
  const [orders, setOrders] = useState<RestrictionOrder[]>();
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState<unknown>();
  const [loadingMore, setLoadingMore] = useState(false);

  // biome-ignore lint/correctness/useExhaustiveDependencies: read again when an order changes here.
  useEffect(() => {
    let live = true;
    client.listOrders({ ...(status ? { status } : {}), limit: '20' }).then(
      (page) => {
        if (!live) return;
        setOrders(page.orders);
        setNext(page.nextCursor);
        setError(undefined);
      },
      (e: unknown) => live && setError(e),
    );
    return () => {
      live = false;
    };
  }, [client, status, revision]);

  const more = () => {
    if (!next) return;
    setLoadingMore(true);
    client.listOrders({ ...(status ? { status } : {}), before: next, limit: '20' }).then(
      (page) => {
        setOrders((o) => [...(o ?? []), ...page.orders]);
        setNext(page.nextCursor);
        setLoadingMore(false);
      },
      (e: unknown) => {
        setError(e);
        setLoadingMore(false);
      },
    );
  };

  return (
    <section className="card" aria-labelledby={headingId}>
      <div className="section-head">
        <h2 id={headingId}>Your orders</h2>
        <div className="filter">
          <label htmlFor={filterId} className="visually-hidden">
            Which orders
          </label>
          <select
            id={filterId}
            value={status}
            onChange={(e) => setStatus(e.target.value as RestrictionOrderStatus | '')}
          >
            <option value="">All orders</option>
            <option value="active">Active</option>
            <option value="revoked">Revoked</option>
            <option value="expired">Expired</option>
          </select>
        </div>
      </div>
      {orders === undefined && !error && <p>Loading…</p>}
      {orders?.length === 0 && <p>{status ? `No ${status} orders.` : 'You have issued no orders.'}</p>}
      <ul className="order-list" aria-labelledby={headingId}>
        {orders?.map((o) => (
          <OrderItem key={`${o.orderId}-${o.status}`} order={o} onRevoked={onRevoked} />
        ))}
      </ul>
      {next && (
        <button type="button" className="button button-secondary" onClick={more} disabled={loadingMore}>
          {loadingMore ? 'Loading…' : 'Show older orders'}
        </button>
      )}
      {error !== undefined && <ErrorNotice error={describeAuthorityError(error)} />}
    </section>
  );
}
