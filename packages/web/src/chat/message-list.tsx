import { useEffect, useId, useRef } from 'react';
import type { PendingMessage } from './chat-state';
import { MessageItem } from './message-item';
import { PendingItem } from './pending-item';
import type { ConversationData } from './use-conversation';

/** The conversation's messages, oldest first, kept scrolled to the newest; new ones are announced. */
export function MessageList({ data, pending }: { data: ConversationData; pending: PendingMessage[] }) {
  const labelId = useId();
  const scroller = useRef<HTMLDivElement>(null);
  const count = data.messages.length + pending.length;
  // biome-ignore lint/correctness/useExhaustiveDependencies: scrolls when the number of messages changes.
  useEffect(() => {
    const el = scroller.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [count]);
  const group = data.summary.kind === 'group';
  return (
    <div className="messages" ref={scroller} role="log" aria-labelledby={labelId}>
      <h2 id={labelId} className="visually-hidden">
        Messages
      </h2>
      {count === 0 && (
        <p className="empty">No messages yet. Say hello: only the people in this conversation can read it.</p>
      )}
      <ol className="message-list">
        {data.messages.map((m) => (
          <MessageItem
            key={`${m.senderDeviceId}/${m.id}`}
            message={m}
            sender={group && !m.outgoing ? data.names.get(m.senderAccountId) : undefined}
          />
        ))}
        {pending.map((p) => (
          <PendingItem key={p.localId} message={p} />
        ))}
      </ol>
    </div>
  );
}
