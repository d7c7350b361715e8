import type { AuthorityCredential } from '@signet/client/authority';
import { type ChangeEvent, type FormEvent, useId, useRef, useState } from 'react';
import { BusyButton } from '../components/busy-button';
import { ErrorNotice, Notice } from '../components/notice';
import { StepHeading } from '../components/step-heading';
import { useAction } from '../lib/use-action';
import { describeAuthorityError } from './authority-errors';
import { parseCredential } from './credential';
import { type SignedIn, signInWith } from './sign-in-with';

interface SignInProps {
  note: string | undefined;
  /** `kept`: the credential, when the authority asked to stay signed in across reloads of this tab. */
  onSignedIn: (signedIn: SignedIn, kept: AuthorityCredential | undefined) => void;
}

/** The console's own sign-in: the authority's credential file, loaded or pasted, checked with the server. */
export function SignIn({ note, onSignedIn }: SignInProps) {
  const fileId = useId();
  const pasteId = useId();
  const keepId = useId();
  const [pasted, setPasted] = useState('');
  /** A loaded file's contents: not shown, since they hold the private key. */
  const [file, setFile] = useState<{ name: string; text: string }>();
  const [keep, setKeep] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);
  const signing = useAction();

  const onFile = async (e: ChangeEvent<HTMLInputElement>) => {
    const chosen = e.target.files?.[0];
    if (!chosen) return setFile(undefined);
    setFile({ name: chosen.name, text: await chosen.text() });
    setPasted('');
    signing.setError(undefined);
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    void signing.run(async () => {
      const credential = parseCredential(pasted.trim() !== '' ? pasted : (file?.text ?? ''));
      const signedIn = await signInWith(credential);
      setPasted('');
      setFile(undefined);
      if (fileInput.current) fileInput.current.value = '';
      onSignedIn(signedIn, keep ? credential : undefined);
    });
  };

  return (
    <main className="registration" id="main">
      <p className="brand">
        Signet <span className="console-label">Authority console</span>
      </p>
      <section className="card">
        <StepHeading>Sign in as an authority</StepHeading>
        <p>
          For authorities (courts, ministries) that the Signet administrator registered. Sign in with the credential
          file <code>signet authority create</code> gave you. This is not a messenger account: no user session is used,
          and every request you make is signed with your key and written to the audit log.
        </p>
        {note && <Notice kind="info">{note}</Notice>}
        <form onSubmit={submit} noValidate>
          <div className="field">
            <label htmlFor={fileId}>Credential file</label>
            <p className="hint" id={`${fileId}-hint`}>
              The JSON file, such as court.json. It stays in this page: only signatures are sent.
            </p>
            <input
              ref={fileInput}
              id={fileId}
              type="file"
              accept=".json,application/json"
              aria-describedby={`${fileId}-hint`}
              onChange={(e) => void onFile(e)}
            />
            {file && <p className="hint">Loaded {file.name}.</p>}
          </div>
          <div className="field">
            <label htmlFor={pasteId}>Or paste the credential</label>
            <textarea
              id={pasteId}
              rows={5}
              className="mono"
              spellCheck={false}
              autoComplete="off"
              value={pasted}
              placeholder='{"type": "signet-authority-credential", …}'
              onChange={(e) => {
                setPasted(e.target.value);
                // What is pasted replaces a file loaded before.
                if (file && fileInput.current) fileInput.current.value = '';
                setFile(undefined);
              }}
            />
          </div>
          <div className="check">
            <input id={keepId} type="checkbox" checked={keep} onChange={(e) => setKeep(e.target.checked)} />
            <label htmlFor={keepId}>
              Stay signed in if this tab reloads (the key is kept in this tab’s session storage until you sign out or
              close the tab)
            </label>
          </div>
          <BusyButton busy={signing.busy} busyLabel="Checking with the server…">
            Sign in
          </BusyButton>
          {signing.error !== undefined && <ErrorNotice error={describeAuthorityError(signing.error)} />}
        </form>
      </section>
    </main>
  );
}
