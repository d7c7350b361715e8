import { BusyButton } from '../components/busy-button';
import { ConfirmAction } from '../components/confirm-action';
import { ErrorNotice } from '../components/notice';
import { useAction } from '../lib/use-action';
import { useChat } from './chat-context';
import type { Member } from './use-conversation';

/** "Refuse messages from this person", and its undoing; the server enforces it and never tells them. */
export function BlockControl({ member }: { member: Member }) {
  const { state } = useChat();
  const action = useAction();
  const set = (blocked: boolean) => void action.run(() => state.setBlocked(member.accountId, blocked));
  return (
    <div className="block-control">
      {member.blocked ? (
        <>
          <p>You blocked {member.name}: their messages do not reach you, here or in groups.</p>
          <BusyButton
            type="button"
            variant="secondary"
            busy={action.busy}
            busyLabel="Unblocking…"
            onClick={() => set(false)}
          >
            Unblock {member.name}
          </BusyButton>
        </>
      ) : (
        <>
          <p>
            Blocking refuses {member.name}’s messages, here and in groups, and stops them adding you to groups. They are
            not told. You can unblock them at any time, in this place or in Settings.
          </p>
          <ConfirmAction
            label={`Block ${member.name}`}
            warning={<p>Refuse all messages from {member.name}?</p>}
            confirmLabel="Block"
            busyLabel="Blocking…"
            busy={action.busy}
            onConfirm={() => set(true)}
          />
        </>
      )}
      <ErrorNotice error={action.error} />
    </div>
  );
}
