import type { RestrictionAuditEntry } from '@signet/protocol';
import { useEffect, useState } from 'react';
import { ErrorNotice } from '../../components/notice';
import { formatDateTime } from '../../lib/format';
import { describeAuthorityError } from '../authority-errors';
import { useConsole } from '../console-context';

const KIND_WORDS: Record<string, string> = {
  'restriction.issued': 'Issued and applied',
  'restriction.applied': 'Applied to posts found later',
  'restriction.revoked': 'Revoked',
  'restriction.expired': 'Expired',
  'authority.refused': 'Request refused',
};

/** The audit log's entries about one order, oldest first: issued, applied, told, revoked or expired. */
export function AuditTrail({ orderId }: { orderId: string }) {
  const { client } = useConsole();
  const [trail, setTrail] = useState<RestrictionAuditEntry[]>();
  const [error, setError] = useState<unknown>();

  useEffect(() => {
    let live = true;
    client.getOrder(orderId).then(
      (order) => live && setTrail(order.auditTrail),
      (e: unknown) => live && setError(e),
    );
    return () => {
      live = false;
    };
  }, [client, orderId]);

  if (error !== undefined) return <ErrorNotice error={describeAuthorityError(error)} />;
  if (!trail) return <p aria-busy="true">Loading the audit trail…</p>;
  if (trail.length === 0) return <p>No audit entries.</p>;
  return (
    <ol className="audit-trail" aria-label={`Audit trail of order ${orderId}`}>
      {trail.map((entry) => (
        <li key={entry.seq}>
          <span className="audit-kind">{KIND_WORDS[entry.kind] ?? entry.kind}</span>
          <time dateTime={new Date(entry.at).toISOString()}>{formatDateTime(entry.at)}</time>
          <span className="hint">
            by {entry.actor.type}
            {entry.actor.id ? ` ${entry.actor.id}` : ''} · entry {entry.seq} · hash{' '}
            <span className="mono">{entry.hash.slice(0, 12)}…</span>
          </span>
          <PayloadFacts payload={entry.payload} />
        </li>
      ))}
    </ol>
  );
}

/** The entry's plain facts (strings, numbers, booleans), as the log holds them. */
function PayloadFacts({ payload }: { payload: Record<string, unknown> }) {
  const facts = Object.entries(payload).filter(
    ([k, v]) => k !== 'legalBasis' && (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean'),
  );
  if (facts.length === 0) return null;
  return (
    <dl className="payload">
      {facts.map(([k, v]) => (
        <div key={k}>
          <dt>{k}</dt>
          <dd>{String(v)}</dd>
        </div>
      ))}
    </dl>
  );
}
