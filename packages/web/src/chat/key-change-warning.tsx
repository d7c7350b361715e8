import { NavLink } from '../home/nav-link';
import { formatDateTime } from '../lib/format';
import { conversationRoute } from '../lib/router';
import { useChat } from './chat-context';
import type { KeyChangeNotice } from './use-conversation';

/** A contact's keys changed: say so plainly, and how to make sure it is still them. */
export function KeyChangeWarning({ change, conversationId }: { change: KeyChangeNotice; conversationId: string }) {
  const { state } = useChat();
  return (
    <div className="notice notice-warning key-change" role="alert">
      <p>
        <strong>The safety number with {change.name} changed</strong> ({formatDateTime(change.changedAt)}). This usually
        means they reinstalled Signet or signed in on a new device. It could also mean someone is trying to intercept
        your messages: compare the safety number with them again before you share anything sensitive.
      </p>
      <div className="actions">
        <NavLink to={conversationRoute(conversationId, 'info')} className="button button-secondary">
          Compare safety numbers
        </NavLink>
        <button
          type="button"
          className="button button-link"
          onClick={() => void state.acknowledgeKeyChange(change.accountId, change.changedAt)}
        >
          Dismiss
        </button>
      </div>
    </div>
  );
}
