import { BusyButton } from '../components/busy-button';
import { ErrorNotice, Notice } from '../components/notice';
import { useAction } from '../lib/use-action';
import { useChat } from './chat-context';
import type { ConversationData } from './use-conversation';

/** What limits this conversation now: a block, or having left it. */
export function ConversationStatus({ data }: { data: ConversationData }) {
  const { state } = useChat();
  const unblocking = useAction();
  const { peer, summary } = data;
  if (summary.status === 'removed') {
    return <Notice kind="info">You are no longer in this group. Its earlier messages stay here.</Notice>;
  }
  if (summary.status === 'leaving') {
    return <Notice kind="info">Leaving this group: the other members’ apps will remove you shortly.</Notice>;
  }
  if (!peer?.blocked) return null;
  return (
    <div className="notice notice-warning">
      <p>You blocked {peer.name}: their messages do not reach you. They are not told.</p>
      <BusyButton
        type="button"
        variant="secondary"
        busy={unblocking.busy}
        busyLabel="Unblocking…"
        onClick={() => void unblocking.run(() => state.setBlocked(peer.accountId, false))}
      >
        Unblock {peer.name}
      </BusyButton>
      <ErrorNotice error={unblocking.error} />
    </div>
  );
}
