import { type FormEvent, type KeyboardEvent, useId, useRef, useState } from 'react';
import { ErrorNotice, Notice } from '../components/notice';
import { InputError } from '../lib/errors';
import { formatSize } from '../lib/format';
import { useChat } from './chat-context';
import { MAX_FILE_BYTES } from './files';
import type { ConversationData } from './use-conversation';

/** The message box: Enter sends, Shift+Enter starts a new line; a file goes with "Attach a file". */
export function Composer({ data }: { data: ConversationData }) {
  const { state, writable } = useChat();
  const [text, setText] = useState('');
  const [error, setError] = useState<unknown>();
  const fileInput = useRef<HTMLInputElement>(null);
  const id = useId();
  const { conversationId, status } = data.summary;

  if (status !== 'active') return null;
  if (!writable) {
    return (
      <Notice kind="info">
        You can read this conversation here, but not write: this tab is not connected (Signet is open in another tab),
        or your account is not identified now.
      </Notice>
    );
  }

  const send = (e?: FormEvent) => {
    e?.preventDefault();
    const trimmed = text.trim();
    if (trimmed === '') return;
    state.sendText(conversationId, trimmed);
    setText('');
    setError(undefined);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) send(e);
  };

  const onFile = () => {
    const file = fileInput.current?.files?.[0];
    if (fileInput.current) fileInput.current.value = '';
    if (!file) return;
    if (file.size === 0) return setError(new InputError(`${file.name} is empty: pick another file.`));
    if (file.size > MAX_FILE_BYTES) {
      return setError(
        new InputError(`${file.name} is ${formatSize(file.size)}; Signet sends files up to 25 MB. Pick a smaller one.`),
      );
    }
    setError(undefined);
    state.sendFile(conversationId, file);
  };

  return (
    <form className="composer" onSubmit={send}>
      <label htmlFor={id} className="visually-hidden">
        Message to {data.name}
      </label>
      <textarea
        id={id}
        rows={2}
        value={text}
        placeholder="Write a message"
        onChange={(e) => setText(e.target.value)}
        onKeyDown={onKeyDown}
        maxLength={60_000}
      />
      <div className="composer-actions">
        <button type="button" className="button button-secondary" onClick={() => fileInput.current?.click()}>
          Attach a file
        </button>
        <input ref={fileInput} type="file" hidden aria-label="File to send" onChange={onFile} />
        <button type="submit" className="button button-primary" disabled={text.trim() === ''}>
          Send
        </button>
      </div>
      <ErrorNotice error={error} />
    </form>
  );
}
