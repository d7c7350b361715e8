import { passwordProof } from '@signet/client';
import type { Register, VerificationSession } from '@signet/protocol';
import { useMemo, useState } from 'react';
import { Notice } from '../components/notice';
import { createApi } from '../lib/api';
import { DEFAULT_COUNTRY } from '../lib/countries';
import { deviceName } from '../lib/device-name';
import { isApiError } from '../lib/errors';
import { formatPhone } from '../lib/phone';
import { type SessionStore, type StoredSession, sessionFrom } from '../lib/session-store';
import { CodeStep } from './code-step';
import { PasswordStep } from './password-step';
import { type PhoneEntry, PhoneStep } from './phone-step';

type Step =
  | { name: 'phone' }
  | { name: 'code'; session: VerificationSession }
  | { name: 'password'; session: VerificationSession; newAccountAllowed: boolean };

interface RegistrationProps {
  store: SessionStore;
  /** Why the user is here again (signed out, revoked, deleted). */
  note?: string | undefined;
  onRegistered: (session: StoredSession, note?: string) => Promise<void>;
}

const OUTCOME_NOTES = {
  created: undefined,
  existing: 'This browser was added to your existing account.',
  replaced: 'A new account was started for this number; the old one is closed.',
} as const;

/** Number, SMS code, and the password when the number has one: then this browser holds a session. */
export function Registration({ store, note, onRegistered }: RegistrationProps) {
  const api = useMemo(() => createApi(), []);
  const [step, setStep] = useState<Step>({ name: 'phone' });
  const [entry, setEntry] = useState<PhoneEntry>({ country: DEFAULT_COUNTRY.iso, typed: '' });
  const name = useMemo(() => deviceName(), []);

  const register = async (session: VerificationSession, extra: Partial<Register> = {}) => {
    const registered = await api.register({ verificationSessionId: session.id, deviceName: name, ...extra });
    const stored = sessionFrom(registered, session.phoneNumber, name);
    // Whatever an earlier device left in this browser belongs to no one now.
    await store.clear();
    await store.save(stored);
    await onRegistered(stored, OUTCOME_NOTES[registered.outcome]);
  };

  const afterCode = async (session: VerificationSession) => {
    try {
      await register(session);
    } catch (error) {
      if (!isApiError(error, 'REGISTRATION_LOCKED')) throw error;
      setStep({ name: 'password', session, newAccountAllowed: error.details.newAccountAllowed === true });
    }
  };

  const restart = () => setStep({ name: 'phone' });

  return (
    <main className="registration" id="main">
      {note && step.name === 'phone' && <Notice kind="warning">{note}</Notice>}
      {step.name === 'phone' && (
        <PhoneStep
          api={api}
          initial={entry}
          onSent={(session, typed) => {
            setEntry(typed);
            setStep({ name: 'code', session });
          }}
        />
      )}
      {step.name === 'code' && (
        <CodeStep
          api={api}
          session={step.session}
          onVerified={afterCode}
          onBack={restart}
          backLabel="Change the number"
        />
      )}
      {step.name === 'password' && (
        <PasswordStep
          title="This number has a password"
          intro={
            <p>
              The account of <strong className="nowrap">{formatPhone(step.session.phoneNumber)}</strong> is protected by
              a password. Enter it to sign in on this browser. Signet never sees your password: your browser proves that
              it knows it.
            </p>
          }
          submitLabel="Sign in"
          onSubmit={async (password) =>
            register(step.session, { password: await passwordProof(api, step.session.id, password) })
          }
          onNewAccount={step.newAccountAllowed ? () => register(step.session, { newAccount: true }) : undefined}
          onCancel={restart}
          cancelLabel="Use another number"
        />
      )}
    </main>
  );
}
