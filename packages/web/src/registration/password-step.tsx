import { type FormEvent, type ReactNode, useId, useRef, useState } from 'react';
import { BusyButton } from '../components/busy-button';
import { ConfirmAction } from '../components/confirm-action';
import { Field } from '../components/field';
import { ErrorNotice } from '../components/notice';
import { StepHeading } from '../components/step-heading';
import { useAction } from '../lib/use-action';

interface PasswordStepProps {
  title: string;
  intro: ReactNode;
  submitLabel: string;
  onSubmit: (password: string) => Promise<void>;
  /** Offered when the number's old account may be left behind for a new one. */
  onNewAccount?: (() => Promise<void>) | undefined;
  onCancel: () => void;
  cancelLabel: string;
}

/** The second factor: the password set on the number's account. */
export function PasswordStep(props: PasswordStepProps) {
  const [password, setPassword] = useState('');
  const [fieldError, setFieldError] = useState<string>();
  const checking = useAction();
  const starting = useAction();
  const input = useRef<HTMLInputElement>(null);
  const newAccountId = useId();

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (password === '') {
      setFieldError('Enter the password set for this number.');
      input.current?.focus();
      return;
    }
    setFieldError(undefined);
    void checking.run(() => props.onSubmit(password));
  };

  return (
    <div className="stack">
      <form className="card" onSubmit={submit} noValidate>
        <StepHeading>{props.title}</StepHeading>
        {props.intro}
        <Field
          ref={input}
          label="Password"
          error={fieldError}
          type="password"
          autoComplete="current-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          required
        />
        <ErrorNotice error={checking.error} />
        <div className="actions">
          <BusyButton busy={checking.busy} busyLabel="Checking the password…">
            {props.submitLabel}
          </BusyButton>
          <button type="button" className="button button-link" onClick={props.onCancel}>
            {props.cancelLabel}
          </button>
        </div>
      </form>
      {props.onNewAccount && (
        <section className="card" aria-labelledby={newAccountId}>
          <h2 id={newAccountId}>Forgot the password?</h2>
          <p>
            You can start a new account with this number instead. The old account is closed for good: its conversations
            and contacts do not move to the new one.
          </p>
          <ConfirmAction
            label="Start a new account"
            warning={<p>The old account of this number will be closed and cannot be opened again. Continue?</p>}
            confirmLabel="Close the old account and start a new one"
            busyLabel="Starting a new account…"
            busy={starting.busy}
            onConfirm={() => void starting.run(props.onNewAccount!)}
            variant="danger"
          />
          <ErrorNotice error={starting.error} />
        </section>
      )}
    </div>
  );
}
