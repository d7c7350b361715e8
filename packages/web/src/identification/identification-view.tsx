import type { IdentificationStatus } from '@signet/protocol';
import { useState } from 'react';
import { ErrorNotice, Notice } from '../components/notice';
import { StepHeading } from '../components/step-heading';
import { formatDateTime, sentence } from '../lib/format';
import { formatPhone } from '../lib/phone';
import { navigate } from '../lib/router';
import { useSession } from '../lib/session-context';
import { AttemptsHistory } from './attempts-history';
import { failureNextStep, failureTitle, suspensionReason } from './failure-copy';
import { PendingStatus } from './pending-status';
import { RetryFlow } from './retry-flow';
import type { IdentificationState } from './use-identification';

/** Where the account stands with its operator, and the way forward when it failed or was suspended. */
export function IdentificationView({ identification }: { identification: IdentificationState }) {
  const { session, signOut } = useSession();
  const { status, error } = identification;
  const [retrying, setRetrying] = useState(false);
  const phone = formatPhone(session.phoneNumber);

  if (!status) {
    return (
      <section className="card" aria-busy={!error}>
        <StepHeading>Identification</StepHeading>
        {error ? <ErrorNotice error={error} /> : <p>Loading your identification status…</p>}
      </section>
    );
  }
  if (retrying && (status.state === 'failed' || status.state === 'suspended')) {
    return (
      <RetryFlow
        suspended={status.state === 'suspended'}
        onDone={(next) => {
          identification.setStatus(next);
          setRetrying(false);
        }}
        onCancel={() => setRetrying(false)}
      />
    );
  }
  return (
    <section className="card" aria-labelledby="identification-heading">
      <StatusBody status={status} phone={phone} onRetry={() => setRetrying(true)} onSignOut={() => void signOut()} />
      <ErrorNotice error={error} />
      <AttemptsHistory attempts={status.attempts} />
    </section>
  );
}

interface StatusBodyProps {
  status: IdentificationStatus;
  phone: string;
  onRetry: () => void;
  onSignOut: () => void;
}

function StatusBody({ status, phone, onRetry, onSignOut }: StatusBodyProps) {
  switch (status.state) {
    case 'identified':
      return (
        <>
          <Heading badge="identified">You are identified</Heading>
          <Notice kind="success">
            Your operator confirmed {phone}
            {status.identifiedAt ? ` on ${formatDateTime(status.identifiedAt)}` : ''}. You can send and receive
            messages.
          </Notice>
          <div className="actions">
            <button type="button" className="button button-primary" onClick={() => navigate('/')}>
              Open chats
            </button>
          </div>
        </>
      );
    case 'pending':
    case 'unverified':
      return (
        <>
          <Heading badge="pending">Asking your operator</Heading>
          <PendingStatus deadlineAt={status.deadlineAt} phone={phone} />
        </>
      );
    case 'failed':
      return (
        <>
          <Heading badge="failed">{failureTitle(status.failure)}</Heading>
          {!sameWords(status.hint, failureTitle(status.failure)) && <p>{sentence(status.hint)}</p>}
          <p>
            <strong>How to try again:</strong> {failureNextStep(status.failure)}
          </p>
          <p className="hint">Until you are identified you cannot send or receive messages.</p>
          <div className="actions">
            <button type="button" className="button button-primary" onClick={onRetry}>
              Try again
            </button>
          </div>
        </>
      );
    case 'suspended':
      return (
        <>
          <Heading badge="suspended">Your account is suspended</Heading>
          <p>{suspensionReason(status.suspendedReason)}</p>
          <p>
            Messages sent to you are held, not lost, while you are suspended. If {phone} is still yours, re-identify:
          </p>
          <ol className="steps">
            <li>confirm the number with a code we send by SMS;</li>
            <li>enter your password, if you set one;</li>
            <li>your operator confirms you (within 20 minutes).</li>
          </ol>
          <div className="actions">
            <button type="button" className="button button-primary" onClick={onRetry}>
              Re-identify
            </button>
          </div>
        </>
      );
    case 'retired':
      return (
        <>
          <Heading badge="retired">This account is closed</Heading>
          <p>
            The account was closed: someone registered {phone} as a new account, or it was deleted. Its history stays
            closed.
          </p>
          <div className="actions">
            <button type="button" className="button button-primary" onClick={onSignOut}>
              Sign out and register again
            </button>
          </div>
        </>
      );
  }
}

function Heading({ badge, children }: { badge: string; children: string }) {
  return (
    <div className="status-heading" id="identification-heading" aria-live="polite">
      <StepHeading>{children}</StepHeading>
      <span className={`badge badge-${badge}`}>{badge}</span>
    </div>
  );
}

/** The server's hint sometimes says just what the title says already. */
function sameWords(a: string, b: string): boolean {
  const words = (s: string) => s.toLowerCase().replace(/[^a-z ]/g, '');
  return words(a) === words(b);
}
