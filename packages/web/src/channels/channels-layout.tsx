import './channels.css';
import { type ReactNode, useId } from 'react';
import { ErrorNotice, Notice } from '../components/notice';
import { NavLink } from '../home/nav-link';
import { formatShortTime } from '../lib/format';
import { channelRoute } from '../lib/router';
import { useLoad } from '../lib/use-load';
import { useChannels } from './channel-state';

interface ChannelsLayoutProps {
  /** The channel shown beside the list (its id), highlighted. */
  selected?: string | undefined;
  /** A channel's page: on a phone it takes the whole screen, with a way back. */
  detail: boolean;
  identified: boolean;
  children: ReactNode;
}

/** The channels this account follows beside the page (a channel, search, a new channel). */
export function ChannelsLayout({ selected, detail, identified, children }: ChannelsLayoutProps) {
  const { client, revision } = useChannels();
  const headingId = useId();
  const { value: followed, error } = useLoad(() => client.channels.followed(), [client, revision]);
  return (
    <div className={`chat-layout ${detail ? 'chat-layout-detail' : 'chat-layout-both'}`}>
      <section className="card chat-sidebar" aria-labelledby={headingId}>
        <div className="chat-sidebar-head">
          <h2 id={headingId}>Followed channels</h2>
          {identified && (
            <NavLink to="/channels/new" className="button button-secondary">
              New channel
            </NavLink>
          )}
        </div>
        <p className="hint">
          Public channels are <strong>not end-to-end encrypted</strong>: anyone signed in can read them.
        </p>
        <ul className="chat-list">
          <li>
            <NavLink to="/channels" className="chat-item">
              <span className="chat-title">Find channels</span>
              <span className="chat-preview">Search by name or @handle</span>
            </NavLink>
          </li>
          {followed?.map((c) => (
            <li key={c.channelId}>
              <NavLink
                to={channelRoute(c.handle)}
                className="chat-item"
                current={selected?.toLowerCase() === c.handle || selected === c.channelId}
              >
                <span className="chat-title">
                  {c.name}
                  {c.owned && <span className="tag">yours</span>}
                </span>
                {c.lastPostAt !== null && <span className="chat-time">{formatShortTime(c.lastPostAt)}</span>}
                <span className="chat-preview">
                  {c.handle}
                  {c.status === 'restricted' ? ' · restricted by an order' : ''}
                </span>
                {c.unread > 0 && (
                  <span className="unread">
                    {c.unread}
                    <span className="visually-hidden"> unread</span>
                  </span>
                )}
              </NavLink>
            </li>
          ))}
        </ul>
        {followed?.length === 0 && <p>You follow no channels yet.</p>}
        {!identified && (
          <Notice kind="warning">
            You can read public channels now; following, posting and creating channels need an identified account.
          </Notice>
        )}
        <ErrorNotice error={error} />
      </section>
      <div className="chat-main">{children}</div>
    </div>
  );
}
