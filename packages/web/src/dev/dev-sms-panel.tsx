import { type SignetApi, SignetApiError } from '@signet/client';
import type { DevSmsList } from '@signet/protocol';
import { useEffect, useId, useState } from 'react';
import { formatDateTime } from '../lib/format';

const POLL_MS = 2000;

interface DevSmsPanelProps {
  api: SignetApi;
  phoneNumber: string;
  onUseCode: (code: string) => void;
}

/**
 * On a development server the SMS sink keeps the messages instead of sending them; this panel shows those for
 * the number being verified. Elsewhere the endpoint does not exist and the panel is not shown.
 */
export function DevSmsPanel({ api, phoneNumber, onUseCode }: DevSmsPanelProps) {
  const [messages, setMessages] = useState<DevSmsList['messages'] | undefined>();
  const headingId = useId();

  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      try {
        const list = await api.devSms(phoneNumber);
        if (!stopped) setMessages(list.messages);
      } catch (error) {
        // 404: not a development server. Anything else (a rate limit, a blip) is worth another look.
        if (error instanceof SignetApiError && error.status === 404) {
          stopped = true;
          setMessages(undefined);
        }
      }
      if (!stopped) timer = setTimeout(poll, POLL_MS);
    };
    void poll();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [api, phoneNumber]);

  if (!messages) return null;
  return (
    <aside className="dev-panel" aria-labelledby={headingId}>
      <h2 id={headingId}>Development: SMS sink</h2>
      <p className="hint">
        This server runs in development mode, so it sends no SMS: the messages it would send are listed here. Real users
        get them on their phone.
      </p>
      {messages.length === 0 ? (
        <p>No messages for this number yet.</p>
      ) : (
        <ol className="dev-sms-list">
          {messages.slice(0, 5).map((m) => {
            const code = /\b(\d{6})\b/.exec(m.text)?.[1];
            return (
              <li key={`${m.sentAt}-${m.text}`}>
                <span className="hint">{formatDateTime(m.sentAt)}</span>
                <span className="dev-sms-text">{m.text}</span>
                {code && (
                  <button type="button" className="button button-secondary" onClick={() => onUseCode(code)}>
                    Fill in code {code}
                  </button>
                )}
              </li>
            );
          })}
        </ol>
      )}
    </aside>
  );
}
