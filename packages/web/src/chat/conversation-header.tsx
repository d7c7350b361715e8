import { StepHeading } from '../components/step-heading';
import { NavLink } from '../home/nav-link';
import { conversationRoute } from '../lib/router';
import type { ConversationData } from './use-conversation';

/** The conversation's name, who is in it, the way back to the list and to its details. */
export function ConversationHeader({ data, page }: { data: ConversationData; page: 'messages' | 'info' }) {
  const { summary } = data;
  const others = data.members.filter((m) => !m.self);
  const line =
    summary.kind === 'group' ? (
      <>
        Group:{' '}
        {data.members.map((m, i) => (
          <span key={m.accountId} className="nowrap">
            {m.name}
            {i < data.members.length - 1 ? ', ' : ''}
          </span>
        ))}
      </>
    ) : (
      'One-to-one conversation, end-to-end encrypted'
    );
  return (
    <div className="conversation-head">
      <NavLink
        to={page === 'info' ? conversationRoute(summary.conversationId) : '/'}
        className={page === 'info' ? 'back-link' : 'back-link back-link-narrow'}
      >
        {page === 'info' ? '← Back to the conversation' : '← All chats'}
      </NavLink>
      <div className="conversation-title">
        <div>
          <StepHeading>{page === 'info' ? `Details of ${data.name}` : data.name}</StepHeading>
          <p className="hint">
            {summary.kind === 'group' && others.length === 0 ? 'Only you are in this group' : line}
          </p>
        </div>
        {page === 'messages' && (
          <NavLink to={conversationRoute(summary.conversationId, 'info')} className="button button-secondary">
            {summary.kind === 'group' ? 'Members and safety numbers' : 'Safety number and blocking'}
          </NavLink>
        )}
      </div>
    </div>
  );
}
