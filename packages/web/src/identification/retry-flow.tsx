import { passwordProof } from '@signet/client';
import type { IdentificationStatus, VerificationSession } from '@signet/protocol';
import { useState } from 'react';
import { BusyButton } from '../components/busy-button';
import { ErrorNotice } from '../components/notice';
import { StepHeading } from '../components/step-heading';
import { isApiError } from '../lib/errors';
import { formatPhone } from '../lib/phone';
import { useSession } from '../lib/session-context';
import { useAction } from '../lib/use-action';
import { CodeStep } from '../registration/code-step';
import { PasswordStep } from '../registration/password-step';

type Step =
  | { name: 'start' }
  | { name: 'code'; session: VerificationSession }
  | { name: 'password'; session: VerificationSession };

interface RetryFlowProps {
  suspended: boolean;
  onDone: (status: IdentificationStatus) => void;
  onCancel: () => void;
}

/** Asking the operator again: prove the number by SMS (and the password, when suspended and set), then retry. */
export function RetryFlow({ suspended, onDone, onCancel }: RetryFlowProps) {
  const { api, session } = useSession();
  const [step, setStep] = useState<Step>({ name: 'start' });
  const starting = useAction();
  const phone = formatPhone(session.phoneNumber);

  const start = () =>
    void starting.run(async () => {
      setStep({ name: 'code', session: await api.startVerification(session.phoneNumber) });
    });

  const retry = async (verified: VerificationSession) => {
    try {
      onDone(await api.retryIdentification({ verificationSessionId: verified.id }));
    } catch (error) {
      if (!isApiError(error, 'REGISTRATION_LOCKED')) throw error;
      setStep({ name: 'password', session: verified });
    }
  };

  if (step.name === 'code') {
    return (
      <CodeStep
        api={api}
        session={step.session}
        title="Confirm your number"
        onVerified={retry}
        onBack={onCancel}
        backLabel="Cancel"
      />
    );
  }
  if (step.name === 'password') {
    return (
      <PasswordStep
        title="Enter your password"
        intro={<p>Your account has a password. Enter it to re-identify {phone}.</p>}
        submitLabel="Re-identify"
        onSubmit={async (password) => {
          const proof = await passwordProof(api, step.session.id, password);
          onDone(await api.retryIdentification({ verificationSessionId: step.session.id, password: proof }));
        }}
        onCancel={onCancel}
        cancelLabel="Cancel"
      />
    );
  }
  return (
    <section className="card">
      <StepHeading>{suspended ? 'Re-identify' : 'Try identification again'}</StepHeading>
      <p>
        First we send a code by SMS to <strong className="nowrap">{phone}</strong> to check that the number is still
        yours. Then we ask your operator again{suspended ? ', after your password if you set one' : ''}.
      </p>
      <ErrorNotice error={starting.error} />
      <div className="actions">
        <BusyButton type="button" busy={starting.busy} busyLabel="Sending the code…" onClick={start}>
          Send code to {phone}
        </BusyButton>
        <button type="button" className="button button-link" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </section>
  );
}
