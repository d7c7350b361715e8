import { useId } from 'react';
import { StepHeading } from '../components/step-heading';
import { NavLink } from '../home/nav-link';
import { formatDateTime } from '../lib/format';
import type { AuthorityRoute } from '../lib/router';
import { ROLE_WORDS, rolesOf, useConsole } from './console-context';

const SECTION_ROUTES = {
  restriction: '/authority/orders',
  mailing: '/authority/mailings',
  'data-request': '/authority/data-requests',
} as const satisfies Record<string, AuthorityRoute>;

/** Who is signed in, as the server knows it (`me`), and what its roles allow. */
export function Overview() {
  const { identity, publicKey, signedInAt } = useConsole();
  const rolesId = useId();
  return (
    <div className="stack console-narrow">
      <section className="card">
        <StepHeading>{identity.name}</StepHeading>
        <dl className="facts">
          <dt>Authority id</dt>
          <dd className="mono">{identity.authorityId}</dd>
          <dt>Public key</dt>
          <dd className="mono">{publicKey || 'not in the credential'}</dd>
          <dt>Signed in</dt>
          <dd>{formatDateTime(signedInAt)}, checked with the server</dd>
        </dl>
        <p className="hint">
          Every request from this console is signed with your key. The server records each one, and each refusal, in its
          append-only audit log, and counts them in its transparency report.
        </p>
      </section>
      <section className="card" aria-labelledby={rolesId}>
        <h2 id={rolesId}>Your roles</h2>
        {identity.roles.length === 0 && <p>This authority holds no roles: the server will refuse its requests.</p>}
        <ul className="role-list">
          {rolesOf(identity).map((role) => (
            <li key={role}>
              <NavLink to={SECTION_ROUTES[role]} className="role-link">
                {ROLE_WORDS[role].title}
              </NavLink>
              <span className="badge">{role}</span>
              <p className="hint">{ROLE_WORDS[role].what}</p>
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}
