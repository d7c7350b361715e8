import { formatRemaining, spokenRemaining } from '../lib/format';
import { useNow } from '../lib/use-now';

/** Identification requests have 20 minutes; the bar shows how much of that is used. */
const DEADLINE_MS = 20 * 60 * 1000;

export function PendingStatus({ deadlineAt, phone }: { deadlineAt: number | null; phone: string }) {
  const now = useNow(1000, deadlineAt !== null);
  const left = deadlineAt === null ? undefined : deadlineAt - now;
  return (
    <>
      <p>
        We asked the operator that serves <strong className="nowrap">{phone}</strong> to confirm that you are its
        subscriber. This usually takes a few seconds. You can keep this page open or come back later: the result will
        show here.
      </p>
      {left !== undefined && left > 0 && (
        <div className="deadline">
          <p>
            Time left for the operator to answer:{' '}
            <span role="timer" aria-label={spokenRemaining(left)} className="countdown">
              {formatRemaining(left)}
            </span>
          </p>
          <progress
            max={DEADLINE_MS}
            value={Math.max(0, DEADLINE_MS - left)}
            aria-label="Time used of the 20 minutes"
          />
        </div>
      )}
      {left !== undefined && left <= 0 && (
        <p className="hint">The 20 minutes have passed; the result will show in a moment.</p>
      )}
    </>
  );
}
