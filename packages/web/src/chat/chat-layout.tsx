import { type ReactNode, useId } from 'react';
import { Notice } from '../components/notice';
import { StepHeading } from '../components/step-heading';
import { NavLink } from '../home/nav-link';
import { ChatList } from './chat-list';
import { useChatList } from './use-chat-list';

interface ChatLayoutProps {
  /** The conversation shown (or 'notices'), highlighted in the list. */
  selected: string | undefined;
  identified: boolean;
  /** The page beside the list; none on the chat list's own page. */
  children?: ReactNode;
}

/**
 * The chat list and the page beside it on a wide screen; on a phone, one of the two: the list on its own
 * page, anything else with a way back to it.
 */
export function ChatLayout({ selected, identified, children }: ChatLayoutProps) {
  const { value, error } = useChatList();
  const headingId = useId();
  const listIsPage = children === undefined;
  return (
    <div className={`chat-layout ${listIsPage ? 'chat-layout-list' : 'chat-layout-detail'}`}>
      <section className="card chat-sidebar" aria-labelledby={headingId}>
        <div className="chat-sidebar-head">
          {listIsPage ? (
            <StepHeading>
              <span id={headingId}>Chats</span>
            </StepHeading>
          ) : (
            <h2 id={headingId}>Chats</h2>
          )}
          {identified && (
            <NavLink to="/chats/new" className="button button-primary">
              New chat
            </NavLink>
          )}
        </div>
        {!identified && (
          <Notice kind="warning">
            You can chat once your operator has identified you.{' '}
            <NavLink to="/identification">See where it stands</NavLink>.
          </Notice>
        )}
        <ChatList entries={value} error={error} selected={selected} />
      </section>
      <div className="chat-main">
        {children ?? <p className="chat-placeholder">Choose a conversation, or start a new one with “New chat”.</p>}
      </div>
    </div>
  );
}
