import { useId } from 'react';
import { BusyButton } from '../components/busy-button';
import { ConfirmAction } from '../components/confirm-action';
import { ErrorNotice } from '../components/notice';
import { isApiError } from '../lib/errors';
import { useSession } from '../lib/session-context';
import { useAction } from '../lib/use-action';

/** Leaving: sign this browser out, or delete the account altogether. */
export function SessionSection() {
  const { api, signOut } = useSession();
  const headingId = useId();
  const leaving = useAction();
  const deleting = useAction();

  const logout = () =>
    void leaving.run(async () => {
      // A session the server already ended is as good as ended here.
      await api.logout().catch((error: unknown) => {
        if (!isApiError(error, 'UNAUTHENTICATED')) throw error;
      });
      await signOut('You signed out. Enter your number to sign in again.');
    });

  const remove = () =>
    void deleting.run(async () => {
      await api.deleteAccount();
      await signOut('Your account was deleted. You can register again with a number at any time.');
    });

  return (
    <section className="card" aria-labelledby={headingId}>
      <h2 id={headingId}>Sign out or delete</h2>
      <p>Signing out ends this browser’s session; your account and other devices stay as they are.</p>
      <div className="actions">
        <BusyButton type="button" variant="secondary" busy={leaving.busy} busyLabel="Signing out…" onClick={logout}>
          Sign out of this browser
        </BusyButton>
      </div>
      <ErrorNotice error={leaving.error} />
      <p>
        Deleting the account removes it, its devices and its password at once. Only the records the law requires (when
        you registered and were identified) are kept for their retention period.
      </p>
      <ConfirmAction
        label="Delete account"
        warning={
          <p>
            <strong>This cannot be undone.</strong> Your conversations will end and your contacts will no longer reach
            you. Delete the account?
          </p>
        }
        confirmLabel="Delete my account"
        busyLabel="Deleting…"
        busy={deleting.busy}
        onConfirm={remove}
      />
      <ErrorNotice error={deleting.error} />
    </section>
  );
}
