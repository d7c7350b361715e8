import type { ConnectionState } from '@signet/client';
import type { AccountState } from '@signet/protocol';
import { formatPhone } from '../lib/phone';
import { useSession } from '../lib/session-context';
import { NavLink } from './nav-link';

const CONNECTION_WORDS: Record<ConnectionState, string> = {
  open: 'Online',
  connecting: 'Connecting…',
  waiting: 'Offline, reconnecting…',
  stopped: 'Offline',
};

export function Header({ state, connection }: { state: AccountState | undefined; connection: ConnectionState }) {
  const { session } = useSession();
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
            <NavLink to="/">Chats</NavLink>
          </li>
          <li>
            <NavLink to="/notices">Official notices</NavLink>
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
