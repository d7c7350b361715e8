import './notices.css';
import { useEffect, useId, useRef } from 'react';
import { BusyButton } from '../components/busy-button';
import { ErrorNotice, Notice } from '../components/notice';
import { StepHeading } from '../components/step-heading';
import { NavLink } from '../home/nav-link';
import { isApiError } from '../lib/errors';
import { useAction } from '../lib/use-action';
import { NoticeItem } from './notice-item';
import { useNotices } from './notice-store';

/** The read-only conversation of authorities' signed notices: each checked here, mutable but never blockable. */
export function NoticesView() {
  const { store, notices, muted, error } = useNotices();
  const logId = useId();
  const scroller = useRef<HTMLDivElement>(null);
  const muting = useAction();
  const newest = notices?.at(-1)?.noticeId;

  // What is shown here has been read (while the page is in view).
  useEffect(() => {
    if (newest === undefined) return;
    const mark = () => {
      if (document.visibilityState === 'visible') void store.markRead(newest).catch(() => undefined);
    };
    mark();
    document.addEventListener('visibilitychange', mark);
    return () => document.removeEventListener('visibilitychange', mark);
  }, [store, newest]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: scrolls when a newer notice arrives.
  useEffect(() => {
    const el = scroller.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [newest]);

  const toggleMute = () => void muting.run(() => store.setMuted(!muted));

  return (
    <section className="card conversation">
      <div className="conversation-head">
        <NavLink to="/" className="back-link back-link-narrow">
          ← All chats
        </NavLink>
        <div className="conversation-title">
          <div>
            <StepHeading>Official notices</StepHeading>
            <p className="hint">
              From authorities, each signed with the authority’s own key and checked on this device.
              {muted ? ' Muted: new notices arrive without alerts.' : ''}
            </p>
          </div>
          <BusyButton
            type="button"
            variant="secondary"
            busy={muting.busy}
            busyLabel={muted ? 'Unmuting…' : 'Muting…'}
            onClick={toggleMute}
            disabled={notices === undefined}
          >
            {muted ? 'Unmute notices' : 'Mute notices'}
          </BusyButton>
        </div>
      </div>
      <ErrorNotice error={muting.error} />
      <div className="messages" ref={scroller} role="log" aria-labelledby={logId}>
        <h2 id={logId} className="visually-hidden">
          Notices
        </h2>
        {notices?.length === 0 && <p className="empty">No official notices yet.</p>}
        {notices === undefined && !error && <p className="empty">Loading notices…</p>}
        <ol className="message-list">
          {notices?.map((n) => (
            <NoticeItem key={n.noticeId} notice={n} />
          ))}
        </ol>
      </div>
      {isApiError(error, 'NOT_IDENTIFIED') ? (
        <Notice kind="info">
          Official notices reach identified accounts: they will appear here once your operator has identified you.
        </Notice>
      ) : (
        <ErrorNotice error={error} />
      )}
      <p className="read-only-note">
        This conversation is read-only: nobody can reply here. You can mute it, but not block it.
      </p>
    </section>
  );
}
