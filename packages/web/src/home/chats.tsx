import type { Conversation } from '@signet/protocol';
import { useEffect, useState } from 'react';
import { ErrorNotice, Notice } from '../components/notice';
import { StepHeading } from '../components/step-heading';
import { formatDateTime } from '../lib/format';
import { useSession } from '../lib/session-context';
import { NavLink } from './nav-link';

/** The conversation list; opening a conversation needs the MLS chat client, which comes next. */
export function Chats({ identified }: { identified: boolean }) {
  const { api } = useSession();
  const [conversations, setConversations] = useState<Conversation[]>();
  const [error, setError] = useState<unknown>();

  useEffect(() => {
    if (!identified) return;
    api.conversations().then(
      (list) => setConversations(list.conversations),
      (e: unknown) => setError(e),
    );
  }, [api, identified]);

  return (
    <section className="card">
      <StepHeading>Chats</StepHeading>
      {!identified && (
        <Notice kind="warning">
          You can chat once your operator has identified you.{' '}
          <NavLink to="/identification">See where it stands</NavLink>.
        </Notice>
      )}
      <ul className="chat-list">
        <li>
          <NavLink to="/notices" className="chat-item">
            <span className="chat-title">Official notices</span>
            <span className="hint">Read-only: notices from authorities</span>
          </NavLink>
        </li>
        {conversations?.map((c) => (
          <li key={c.conversationId} className="chat-item">
            <span className="chat-title">{c.kind === 'direct' ? 'Direct conversation' : 'Group'}</span>
            <span className="hint">
              {c.members.length} member{c.members.length === 1 ? '' : 's'}, since {formatDateTime(c.createdAt)}
            </span>
          </li>
        ))}
      </ul>
      {identified && conversations?.length === 0 && <p>No conversations yet.</p>}
      <ErrorNotice error={error} />
      <p className="hint">
        Reading and writing end-to-end encrypted messages in the browser comes in the next version of the web app.
      </p>
    </section>
  );
}
