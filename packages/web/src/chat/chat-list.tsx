import { ErrorNotice } from '../components/notice';
import { NavLink } from '../home/nav-link';
import { formatShortTime } from '../lib/format';
import { conversationRoute } from '../lib/router';
import { useNotices } from '../notices/notice-store';
import type { ChatEntry } from './use-chat-list';

interface ChatListProps {
  entries: ChatEntry[] | undefined;
  error: unknown;
  /** The conversation shown beside the list, or 'notices'. */
  selected: string | undefined;
}

/** Official notices first, then every conversation with its last message and unread count. */
export function ChatList({ entries, error, selected }: ChatListProps) {
  const notices = useNotices();
  const latest = notices.notices?.at(-1);
  return (
    <>
      <ul className="chat-list">
        <li>
          <NavLink to="/notices" className="chat-item" current={selected === 'notices'}>
            <span className="chat-title">
              Official notices
              {notices.muted && <span className="tag">muted</span>}
            </span>
            {latest && <span className="chat-time">{formatShortTime(latest.sentAt)}</span>}
            <span className="chat-preview">
              {latest ? `${latest.authority.name}: ${latest.notice.title}` : 'Read-only: notices from authorities'}
            </span>
            {notices.unread > 0 && (
              <span className={notices.muted ? 'unread unread-muted' : 'unread'}>
                {notices.unread}
                <span className="visually-hidden"> unread</span>
              </span>
            )}
          </NavLink>
        </li>
        {entries?.map((e) => (
          <li key={e.summary.conversationId}>
            <NavLink
              to={conversationRoute(e.summary.conversationId)}
              className="chat-item"
              current={selected === e.summary.conversationId}
            >
              <span className="chat-title">
                {e.name}
                {e.summary.kind === 'group' && <span className="visually-hidden"> (group)</span>}
              </span>
              {e.summary.lastMessage && <span className="chat-time">{formatShortTime(e.summary.lastMessage.at)}</span>}
              <span className="chat-preview">{statusLine(e)}</span>
              {e.unread > 0 && (
                <span className="unread">
                  {e.unread}
                  <span className="visually-hidden"> unread</span>
                </span>
              )}
            </NavLink>
          </li>
        ))}
      </ul>
      {entries?.length === 0 && <p>No conversations yet.</p>}
      <ErrorNotice error={error} />
    </>
  );
}

function statusLine(e: ChatEntry): string {
  if (e.summary.status === 'removed') return 'You are no longer in this group';
  if (e.summary.status === 'leaving') return 'Leaving…';
  if (e.preview) return e.preview;
  return e.summary.kind === 'group' ? `Group of ${e.summary.members.length}` : 'No messages yet';
}
