import { AUTHORITY_ROLES, type AuthorityRole } from '@signet/protocol';

export function isAuthorityRole(value: string): value is AuthorityRole {
  return (AUTHORITY_ROLES as readonly string[]).includes(value);
}

/** `restriction,mailing` → the roles, sorted and without repeats; throws naming an unknown role. */
export function parseRoles(text: string): AuthorityRole[] {
  const roles = text
    .split(',')
    .map((r) => r.trim())
    .filter((r) => r !== '');
  if (roles.length === 0) throw new Error(`give at least one role: ${AUTHORITY_ROLES.join(', ')}`);
  for (const r of roles) {
    if (!isAuthorityRole(r)) throw new Error(`unknown role "${r}": the roles are ${AUTHORITY_ROLES.join(', ')}`);
  }
  return [...new Set(roles as AuthorityRole[])].sort();
}

export function storedRoles(text: string): AuthorityRole[] {
  return text.split(',').filter(isAuthorityRole);
}
