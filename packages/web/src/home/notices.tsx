import { useId } from 'react';
import { StepHeading } from '../components/step-heading';
import { NavLink } from './nav-link';

/** The read-only conversation where authorities' signed mass notices will appear. */
export function Notices() {
  const logId = useId();
  return (
    <section className="card conversation">
      <div className="conversation-head">
        <NavLink to="/" className="back-link back-link-narrow">
          ← All chats
        </NavLink>
        <StepHeading>Official notices</StepHeading>
      </div>
      <p className="hint">
        Notices that authorities send to all users or to a region will appear here, each signed by its authority and
        shown only once the app has checked the signature. You will be able to mute this conversation, but not block it.
      </p>
      <div className="messages" role="log" aria-labelledby={logId}>
        <h2 id={logId} className="visually-hidden">
          Notices
        </h2>
        <p className="empty">No official notices yet.</p>
      </div>
      <p className="read-only-note">This conversation is read-only: nobody can reply here.</p>
    </section>
  );
}
