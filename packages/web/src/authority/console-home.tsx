import type { AuthorityRole } from '@signet/protocol';
import type { ReactNode } from 'react';
import { NavLink } from '../home/nav-link';
import { type AuthorityRoute, useRoute } from '../lib/router';
import { ROLE_WORDS, rolesOf, useConsole } from './console-context';
import { DataRequestsPage } from './data-requests/data-requests-page';
import { MailingsPage } from './mailings/mailings-page';
import { OrdersPage } from './orders/orders-page';
import { Overview } from './overview';
import { RoleMissing } from './role-missing';

const SECTIONS: { route: AuthorityRoute; role: AuthorityRole }[] = [
  { route: '/authority/orders', role: 'restriction' },
  { route: '/authority/mailings', role: 'mailing' },
  { route: '/authority/data-requests', role: 'data-request' },
];

/** The signed-in console: who is signed in, the sections of its roles, and the page the address names. */
export function ConsoleHome() {
  const { identity, signOut } = useConsole();
  const route = useRoute();
  const roles = rolesOf(identity);
  const section = SECTIONS.find((s) => s.route === route);
  let page: ReactNode = <Overview />;
  if (section && !roles.includes(section.role)) page = <RoleMissing role={section.role} />;
  else if (route === '/authority/orders') page = <OrdersPage />;
  else if (route === '/authority/mailings') page = <MailingsPage />;
  else if (route === '/authority/data-requests') page = <DataRequestsPage />;

  return (
    <div className="shell shell-wide console">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="app-header">
        <div className="app-header-top">
          <span className="brand">
            Signet <span className="console-label">Authority console</span>
          </span>
          <span className="account-line">
            <span>
              Signed in as <strong>{identity.name}</strong>
            </span>
            <button type="button" className="button-link" onClick={signOut}>
              Sign out
            </button>
          </span>
        </div>
        <nav aria-label="Console">
          <ul>
            <li>
              <NavLink to="/authority">Overview</NavLink>
            </li>
            {SECTIONS.map((s) => (
              <li key={s.route}>
                <NavLink to={s.route}>
                  {ROLE_WORDS[s.role].title}
                  {!roles.includes(s.role) && <span className="visually-hidden"> (not your role)</span>}
                </NavLink>
              </li>
            ))}
          </ul>
        </nav>
      </header>
      <main id="main" className="page">
        {page}
      </main>
    </div>
  );
}
