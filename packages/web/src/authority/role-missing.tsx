import type { AuthorityRole } from '@signet/protocol';
import { StepHeading } from '../components/step-heading';
import { ROLE_WORDS, useConsole } from './console-context';

/** A section whose role the signed-in authority does not hold: the server would refuse its requests. */
export function RoleMissing({ role }: { role: AuthorityRole }) {
  const { identity } = useConsole();
  return (
    <section className="card">
      <StepHeading>{ROLE_WORDS[role].title}</StepHeading>
      <p className="notice notice-warning" role="status">
        {identity.name} does not hold the role <code>{role}</code>, so the server refuses these requests. Ask the Signet
        administrator to grant it if your authority is entitled to it.
      </p>
      <p>{ROLE_WORDS[role].what}</p>
    </section>
  );
}
