import type { AuthorityClient } from '@signet/client/authority';
import type { AuthorityIdentity, AuthorityRole } from '@signet/protocol';
import { createContext, useContext } from 'react';

export interface ConsoleContextValue {
  client: AuthorityClient;
  /** Who the server says signs: `GET /authority/v1/me`. */
  identity: AuthorityIdentity;
  /** The authority's public key as its credential gives it (base64url), to compare with the administrator's records. */
  publicKey: string;
  signedInAt: number;
  signOut: () => void;
}

export const ConsoleContext = createContext<ConsoleContextValue | undefined>(undefined);

export function useConsole(): ConsoleContextValue {
  const value = useContext(ConsoleContext);
  if (!value) throw new Error('useConsole outside the signed-in console');
  return value;
}

/** The roles `me` answered (typed loosely by the schema). */
export function rolesOf(identity: AuthorityIdentity): AuthorityRole[] {
  return identity.roles as AuthorityRole[];
}

export const ROLE_WORDS: Record<AuthorityRole, { title: string; what: string }> = {
  restriction: {
    title: 'Restriction orders',
    what: 'Restrict public channel posts, channels, public content by fingerprint, or an account’s sending or reach.',
  },
  mailing: {
    title: 'Mailings',
    what: 'Send official notices, signed with your key, to all identified users or to number prefixes.',
  },
  'data-request': {
    title: 'Data requests',
    what: 'Ask for the identification record of a phone number or an account, with a legal basis.',
  },
};
