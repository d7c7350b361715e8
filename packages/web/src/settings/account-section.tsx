import type { AccountState } from '@signet/protocol';
import { useId } from 'react';
import { formatDateTime } from '../lib/format';
import { formatPhone } from '../lib/phone';
import { useSession } from '../lib/session-context';

export function AccountSection({ state }: { state: AccountState | undefined }) {
  const { session } = useSession();
  const headingId = useId();
  return (
    <section className="card" aria-labelledby={headingId}>
      <h2 id={headingId}>Account</h2>
      <dl className="facts">
        <dt>Phone number</dt>
        <dd>{formatPhone(session.phoneNumber)}</dd>
        <dt>Identification</dt>
        <dd>{state ?? '…'}</dd>
        <dt>This device</dt>
        <dd>
          {session.deviceName}, signed in {formatDateTime(session.registeredAt)}
        </dd>
        <dt>Account id</dt>
        <dd className="mono">{session.accountId}</dd>
      </dl>
    </section>
  );
}
