import { type FormEvent, useRef, useState } from 'react';
import { BusyButton } from '../components/busy-button';
import { Field } from '../components/field';

const MIN_LENGTH = 8;

interface PasswordFormProps {
  submitLabel: string;
  busy: boolean;
  onSubmit: (password: string) => void;
  onCancel?: () => void;
}

/** A new password, typed twice. */
export function PasswordForm({ submitLabel, busy, onSubmit, onCancel }: PasswordFormProps) {
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const [errors, setErrors] = useState<{ password?: string; repeat?: string }>({});
  const first = useRef<HTMLInputElement>(null);
  const second = useRef<HTMLInputElement>(null);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (password.length < MIN_LENGTH) {
      setErrors({ password: `Use at least ${MIN_LENGTH} characters; a few words together work well.` });
      first.current?.focus();
      return;
    }
    if (repeat !== password) {
      setErrors({ repeat: 'The two passwords differ. Type the same password in both fields.' });
      second.current?.focus();
      return;
    }
    setErrors({});
    onSubmit(password);
  };

  return (
    <form onSubmit={submit} noValidate>
      <Field
        ref={first}
        label="New password"
        hint={`At least ${MIN_LENGTH} characters.`}
        error={errors.password}
        type="password"
        autoComplete="new-password"
        value={password}
        onChange={(e) => setPassword(e.target.value)}
      />
      <Field
        ref={second}
        label="Repeat the new password"
        error={errors.repeat}
        type="password"
        autoComplete="new-password"
        value={repeat}
        onChange={(e) => setRepeat(e.target.value)}
      />
      <div className="actions">
        <BusyButton busy={busy} busyLabel="Saving the password…">
          {submitLabel}
        </BusyButton>
        {onCancel && (
          <button type="button" className="button button-link" onClick={onCancel}>
            Cancel
          </button>
        )}
      </div>
    </form>
  );
}
