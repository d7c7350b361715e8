import type { SignetApi } from '@signet/client';
import type { VerificationSession } from '@signet/protocol';
import { type FormEvent, useRef, useState } from 'react';
import { BusyButton } from '../components/busy-button';
import { Field } from '../components/field';
import { ErrorNotice } from '../components/notice';
import { StepHeading } from '../components/step-heading';
import { countryByIso } from '../lib/countries';
import { describeError, isApiError } from '../lib/errors';
import { toE164 } from '../lib/phone';
import { useAction } from '../lib/use-action';
import { CountrySelect } from './country-select';

export interface PhoneEntry {
  country: string;
  typed: string;
}

interface PhoneStepProps {
  api: SignetApi;
  initial: PhoneEntry;
  onSent: (session: VerificationSession, entry: PhoneEntry) => void;
}

/** The first step: which number, in which country. */
export function PhoneStep({ api, initial, onSent }: PhoneStepProps) {
  const [country, setCountry] = useState(initial.country);
  const [typed, setTyped] = useState(initial.typed);
  const [fieldError, setFieldError] = useState<string>();
  const { busy, error, run } = useAction();
  const input = useRef<HTMLInputElement>(null);
  const selected = countryByIso(country);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const checked = toE164(selected, typed);
    if (!checked.ok) {
      setFieldError(checked.error);
      input.current?.focus();
      return;
    }
    setFieldError(undefined);
    void run(async () => {
      try {
        onSent(await api.startVerification(checked.number), { country, typed });
      } catch (err) {
        // The server's verdict on the number belongs next to the number.
        if (isApiError(err, 'INVALID_PHONE_NUMBER') || isApiError(err, 'COUNTRY_NOT_ALLOWED')) {
          setFieldError(describeError(err));
          input.current?.focus();
          return;
        }
        throw err;
      }
    });
  };

  return (
    <form className="card" onSubmit={submit} noValidate>
      <StepHeading>Sign in to Signet</StepHeading>
      <p>
        Enter your mobile number. We will send you a code by SMS, and then ask your mobile operator to confirm that the
        number is yours.
      </p>
      <CountrySelect value={country} onChange={setCountry} />
      <Field
        ref={input}
        label="Phone number"
        hint={`Without ${selected.dialCode}, for example ${selected.example}. Or the full number starting with +.`}
        error={fieldError}
        type="tel"
        inputMode="tel"
        autoComplete="tel-national"
        value={typed}
        onChange={(e) => setTyped(e.target.value)}
        required
      />
      <ErrorNotice error={error} />
      <div className="actions">
        <BusyButton busy={busy} busyLabel="Sending the code…">
          Send code
        </BusyButton>
      </div>
    </form>
  );
}
