import type { BlockedAccount } from '@signet/client';
import { useId, useState } from 'react';
import { useChat } from '../chat/chat-context';
import { BusyButton } from '../components/busy-button';
import { ErrorNotice, Notice } from '../components/notice';
import { formatDateTime } from '../lib/format';
import { formatPhone } from '../lib/phone';
import { useAction } from '../lib/use-action';
import { useLoad } from '../lib/use-load';

/** The people whose messages this account refuses: private to the user, kept by the server. */
export function BlockedSection() {
  const { state, revision } = useChat();
  const headingId = useId();
  const [done, setDone] = useState<string>();
  const unblocking = useAction();
  const { value: blocked, error } = useLoad(() => state.blocked(), [state, revision]);

  const unblock = (b: BlockedAccount, name: string) =>
    void unblocking.run(async () => {
      await state.setBlocked(b.accountId, false);
      setDone(`${name} is unblocked: their messages reach you again.`);
    });

  return (
    <section className="card" aria-labelledby={headingId}>
      <h2 id={headingId}>Blocked people</h2>
      <p>You receive no messages from them, and they cannot add you to groups. Nobody else sees this list.</p>
      {done && <Notice kind="success">{done}</Notice>}
      <ErrorNotice error={error ?? unblocking.error} />
      {blocked === undefined && !error && <p>Loading…</p>}
      {blocked?.length === 0 && <p>You have not blocked anyone.</p>}
      <ul className="device-list" aria-label="Blocked people">
        {blocked?.map((b) => {
          const name = b.phoneNumber ? formatPhone(b.phoneNumber) : `Unknown contact ${b.accountId.slice(0, 6)}`;
          return (
            <li key={b.accountId} className="device">
              <div>
                <span className="device-name">{name}</span>
                <span className="hint">Blocked {formatDateTime(b.at)}</span>
              </div>
              <BusyButton
                type="button"
                variant="secondary"
                busy={unblocking.busy}
                busyLabel="Unblocking…"
                onClick={() => unblock(b, name)}
              >
                Unblock {name}
              </BusyButton>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
