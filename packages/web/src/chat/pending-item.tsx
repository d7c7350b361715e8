import { ErrorNotice } from '../components/notice';
import { formatSize } from '../lib/format';
import { useChat } from './chat-context';
import type { PendingMessage } from './chat-state';

/** A message on its way to the server, or one it refused, with what can be done about it. */
export function PendingItem({ message }: { message: PendingMessage }) {
  const { state } = useChat();
  const { input } = message;
  return (
    <li className={`message message-out message-${message.state}`}>
      {input.type === 'text' ? (
        <p className="message-text">{input.text}</p>
      ) : (
        <p className="attachment-name">
          {input.file.name} <span className="hint">{formatSize(input.file.size)}</span>
        </p>
      )}
      <span className="message-meta">
        {message.state === 'sending' ? (
          <span className="delivery delivery-sending">Sending…</span>
        ) : (
          <span className="delivery delivery-failed">Not sent</span>
        )}
      </span>
      {message.state === 'failed' && (
        <div className="message-failure">
          <ErrorNotice error={message.error} />
          <div className="actions">
            <button type="button" className="button button-secondary" onClick={() => state.retry(message)}>
              Try again
            </button>
            <button type="button" className="button button-link" onClick={() => state.discard(message)}>
              Discard
            </button>
          </div>
        </div>
      )}
    </li>
  );
}
