import type { VerificationSession } from '@signet/protocol';
import { formatRemaining } from '../lib/format';
import { useNow } from '../lib/use-now';

interface ResendCodeProps {
  session: VerificationSession;
  busy: boolean;
  onResend: () => void;
}

/** "Send a new code", available when the server's nextResendAt has passed. */
export function ResendCode({ session, busy, onResend }: ResendCodeProps) {
  const next = session.nextResendAt;
  const now = useNow(1000, next !== null);
  if (next === null) {
    return (
      <p className="hint">
        No more codes can be sent in this attempt. If the SMS does not arrive, change the number or start again later.
      </p>
    );
  }
  const waiting = next > now;
  return (
    <div className="resend">
      <button type="button" className="button button-secondary" disabled={waiting || busy} onClick={onResend}>
        {busy ? 'Sending a new code…' : 'Send a new code'}
      </button>
      <p className="hint" aria-live="off">
        {waiting
          ? `You can ask for a new code in ${formatRemaining(next - now)}.`
          : `Did not get the SMS? Ask for a new one (${session.resendsLeft} left).`}
      </p>
    </div>
  );
}
