import type { StoredMessage } from '@signet/client';
import { formatShortTime } from '../lib/format';
import { AttachmentBody } from './attachment-body';

/**
 * One message: who wrote it (in a group), what it says or carries, when, and whether ours reached the server,
 * then every device it was sent to.
 */
export function MessageItem({ message, sender }: { message: StoredMessage; sender: string | undefined }) {
  const { content } = message;
  return (
    <li className={`message ${message.outgoing ? 'message-out' : 'message-in'}`}>
      {sender && <span className="message-sender">{sender}</span>}
      {content.type === 'text' && <p className="message-text">{content.text}</p>}
      {content.type === 'attachment' && <AttachmentBody content={content} />}
      <span className="message-meta">
        <time dateTime={new Date(message.at).toISOString()}>{formatShortTime(message.at)}</time>
        {message.outgoing &&
          (message.deliveredAt === undefined ? (
            <span
              className="delivery delivery-sent"
              title="The server has it and delivers it to every member’s devices"
            >
              Sent
            </span>
          ) : (
            <span className="delivery delivery-delivered" title="Every device it was sent to has received it">
              Delivered
            </span>
          ))}
      </span>
    </li>
  );
}
