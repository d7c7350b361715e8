import { useEffect } from 'react';
import { ErrorNotice } from '../components/notice';
import { useChat } from './chat-context';
import { Composer } from './composer';
import { ConversationHeader } from './conversation-header';
import { ConversationStatus } from './conversation-status';
import { KeyChangeWarning } from './key-change-warning';
import { MessageList } from './message-list';
import { useConversation } from './use-conversation';

/** One conversation: its messages as they arrive, and the box to write in. */
export function ConversationView({ conversationId }: { conversationId: string }) {
  const { state } = useChat();
  const { value: data, error } = useConversation(conversationId);
  const messages = data?.messages;

  // What is shown here has been read (while the page is in view).
  useEffect(() => {
    if (!messages) return;
    const mark = () => {
      if (document.visibilityState === 'visible') void state.markRead(conversationId, messages);
    };
    mark();
    document.addEventListener('visibilitychange', mark);
    return () => document.removeEventListener('visibilitychange', mark);
  }, [state, conversationId, messages]);

  if (data === null) return <MissingConversation />;
  if (!data) return error ? <ErrorNotice error={error} /> : <p className="card">Loading the conversation…</p>;
  return (
    <section className="card conversation">
      <ConversationHeader data={data} page="messages" />
      {data.keyChanges.map((k) => (
        <KeyChangeWarning key={k.accountId} change={k} conversationId={conversationId} />
      ))}
      <ConversationStatus data={data} />
      <MessageList data={data} pending={state.pending(conversationId)} />
      <Composer data={data} />
      <ErrorNotice error={error} />
    </section>
  );
}

export function MissingConversation() {
  return (
    <section className="card">
      <h1>No such conversation</h1>
      <p>This browser holds no conversation at this address. Pick one from the list, or start a new one.</p>
    </section>
  );
}
