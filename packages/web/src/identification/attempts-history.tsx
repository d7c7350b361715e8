import type { IdentificationAttempt } from '@signet/protocol';
import { formatDateTime } from '../lib/format';

const STATUS_WORDS: Record<IdentificationAttempt['status'], string> = {
  pending: 'waiting for the operator',
  confirmed: 'confirmed',
  denied: 'denied',
  failed: 'failed',
};

/** Past requests to operators, newest first, for those who want to know what happened when. */
export function AttemptsHistory({ attempts }: { attempts: IdentificationAttempt[] }) {
  if (attempts.length === 0) return null;
  return (
    <details className="history">
      <summary>Identification history ({attempts.length})</summary>
      <ul>
        {attempts.map((a) => (
          <li key={a.requestId}>
            {formatDateTime(a.requestedAt)}: {a.reason === 'reidentification' ? 're-identification' : a.reason},{' '}
            {a.operatorId ? `operator ${a.operatorId}` : 'no operator'}, {STATUS_WORDS[a.status]}
            {a.failure ? ` (${a.failure})` : ''}
          </li>
        ))}
      </ul>
    </details>
  );
}
