import type { ConnectionState } from '@signet/client';
import type { AccountState } from '@signet/protocol';
import { formatPhone } from '../lib/phone';
import { useRoute } from '../lib/router';
import { useSession } from '../lib/session-context';
import { useNotices } from '../notices/notice-store';
import { NavLink } from './nav-link';

/** The live connection, or `elsewhere` while another tab of this browser holds it. */
export type HeaderConnection = ConnectionState | 'elsewhere';

const CONNECTION_WORDS: Record<HeaderConnection, string> = {
  open: 'Online',
  connecting: 'Connecting…',
  waiting: 'Offline, reconnecting…',
  stopped: 'Offline',
  elsewhere: 'Connected in another tab',
};

export function Header({ state, connection }: { state: AccountState | undefined; connection: HeaderConnection }) {
  const { session } = useSession();
  const route = useRoute();
  const notices = useNotices();
  return (
    <header className="app-header">
      <div className="app-header-top">
        <span className="brand">Signet</span>
        <span className="account-line">
          <span className="nowrap">{formatPhone(session.phoneNumber)}</span>
          <span className={`connection connection-${connection}`}>{CONNECTION_WORDS[connection]}</span>
        </span>
      </div>
      <nav aria-label="Main">
        <ul>
          <li>
            <NavLink to="/" current={route === '/' || route.startsWith('/chats/')}>
              Chats
            </NavLink>
          </li>
          <li>
            <NavLink to="/channels" current={route.startsWith('/channels')}>
              Channels
            </NavLink>
          </li>
          <li>
            <NavLink to="/notices">
              Official notices
              {notices.unread > 0 && !notices.muted && (
                <span className="count">
                  {notices.unread}
                  <span className="visually-hidden"> unread</span>
                </span>
              )}
            </NavLink>
          </li>
          <li>
            <NavLink to="/identification">
              Identification{state && <span className={`badge badge-${state}`}>{state}</span>}
            </NavLink>
          </li>
          <li>
            <NavLink to="/settings">Settings</NavLink>
          </li>
        </ul>
      </nav>
    </header>
  );
}
