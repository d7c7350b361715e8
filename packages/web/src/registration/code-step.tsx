import type { SignetApi } from '@signet/client';
import type { VerificationSession } from '@signet/protocol';
import { type FormEvent, useRef, useState } from 'react';
import { BusyButton } from '../components/busy-button';
import { Field } from '../components/field';
import { ErrorNotice, Notice } from '../components/notice';
import { StepHeading } from '../components/step-heading';
import { DevSmsPanel } from '../dev/dev-sms-panel';
import { formatDateTime } from '../lib/format';
import { formatPhone } from '../lib/phone';
import { useAction } from '../lib/use-action';
import { ResendCode } from './resend-code';

interface CodeStepProps {
  api: SignetApi;
  session: VerificationSession;
  /** Called once the code is right; what it throws is shown here. */
  onVerified: (session: VerificationSession) => Promise<void>;
  onBack: () => void;
  backLabel: string;
  title?: string;
}

/** The SMS code: enter it, or ask for another when the server allows. */
export function CodeStep({ api, session: initial, onVerified, onBack, backLabel, title }: CodeStepProps) {
  const [session, setSession] = useState(initial);
  const [code, setCode] = useState('');
  const [fieldError, setFieldError] = useState<string>();
  const [resent, setResent] = useState(false);
  const submitting = useAction();
  const resending = useAction();
  const input = useRef<HTMLInputElement>(null);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const digits = code.replace(/\s/g, '');
    if (!/^[0-9]{6}$/.test(digits)) {
      setFieldError('The code has 6 digits. Type them as they appear in the SMS.');
      input.current?.focus();
      return;
    }
    setFieldError(undefined);
    void submitting.run(async () => {
      // A code already accepted stays accepted: retrying after a later error must not submit it again.
      const verified = session.verified ? session : await api.verifyCode(session.id, digits);
      setSession(verified);
      await onVerified(verified);
    });
  };

  const resend = () =>
    void resending.run(async () => {
      setSession(await api.resendCode(session.id));
      setResent(true);
      setCode('');
      input.current?.focus();
    });

  return (
    <div className="step-with-aside">
      <form className="card" onSubmit={submit} noValidate>
        <StepHeading>{title ?? 'Enter the code'}</StepHeading>
        <p>
          We sent a 6-digit code by SMS to <strong className="nowrap">{formatPhone(session.phoneNumber)}</strong>. It
          works until {formatDateTime(session.codeExpiresAt)}.
        </p>
        {resent && <Notice kind="success">A new code is on its way. The previous code no longer works.</Notice>}
        <Field
          ref={input}
          label="Code from the SMS"
          error={fieldError}
          inputMode="numeric"
          autoComplete="one-time-code"
          pattern="[0-9]*"
          maxLength={7}
          value={code}
          onChange={(e) => setCode(e.target.value)}
          className="code-field"
          required
        />
        <ErrorNotice error={submitting.error} />
        <div className="actions">
          <BusyButton busy={submitting.busy} busyLabel="Checking…">
            Confirm
          </BusyButton>
          <button type="button" className="button button-link" onClick={onBack}>
            {backLabel}
          </button>
        </div>
        <ResendCode session={session} busy={resending.busy} onResend={resend} />
        <ErrorNotice error={resending.error} />
      </form>
      <DevSmsPanel api={api} phoneNumber={session.phoneNumber} onUseCode={setCode} />
    </div>
  );
}
