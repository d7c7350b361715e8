import { setPassword } from '@signet/client';
import { useCallback, useEffect, useId, useState } from 'react';
import { ConfirmAction } from '../components/confirm-action';
import { ErrorNotice, Notice } from '../components/notice';
import { useSession } from '../lib/session-context';
import { useAction } from '../lib/use-action';
import { PasswordForm } from './password-form';

/** The registration-lock password: set, change or remove it. */
export function PasswordSection() {
  const { api } = useSession();
  const headingId = useId();
  const [hasPassword, setHasPassword] = useState<boolean>();
  const [editing, setEditing] = useState(false);
  const [done, setDone] = useState<string>();
  const loading = useAction();
  const saving = useAction();
  const removing = useAction();

  const load = useCallback(
    () => loading.run(async () => setHasPassword((await api.account()).hasPassword)),
    [api, loading.run],
  );
  useEffect(() => void load(), [load]);

  const save = (password: string) =>
    void saving.run(async () => {
      await setPassword(api, password);
      setHasPassword(true);
      setEditing(false);
      setDone(hasPassword ? 'Password changed.' : 'Password set.');
    });

  const remove = () =>
    void removing.run(async () => {
      await api.removePassword();
      setHasPassword(false);
      setDone('Password removed.');
    });

  return (
    <section className="card" aria-labelledby={headingId}>
      <h2 id={headingId}>Password</h2>
      <p>
        A password protects your account if someone else gets your number: registering it on a new device then needs the
        password too. Signet never learns it, so it cannot be recovered: if you forget it, you can only start a new
        account.
      </p>
      {done && <Notice kind="success">{done}</Notice>}
      <ErrorNotice error={loading.error ?? saving.error ?? removing.error} />
      {hasPassword === undefined && !loading.error && <p>Loading…</p>}
      {hasPassword === false && (
        <>
          <p>
            <strong>No password is set.</strong>
          </p>
          <PasswordForm submitLabel="Set password" busy={saving.busy} onSubmit={save} />
        </>
      )}
      {hasPassword === true && (
        <>
          <p>
            <strong>A password is set.</strong>
          </p>
          {editing ? (
            <PasswordForm
              submitLabel="Change password"
              busy={saving.busy}
              onSubmit={save}
              onCancel={() => setEditing(false)}
            />
          ) : (
            <div className="actions">
              <button type="button" className="button button-secondary" onClick={() => setEditing(true)}>
                Change password
              </button>
              <ConfirmAction
                label="Remove password"
                warning={<p>Without a password, anyone who gets your number can register it on their device.</p>}
                confirmLabel="Remove the password"
                busyLabel="Removing…"
                busy={removing.busy}
                onConfirm={remove}
              />
            </div>
          )}
        </>
      )}
    </section>
  );
}
