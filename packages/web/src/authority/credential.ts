import type { AuthorityCredential } from '@signet/client/authority';
import { InputError } from '../lib/errors';

/** Where a credential is kept between reloads of one tab, when the authority asks for it (never IndexedDB). */
const SESSION_KEY = 'signet-authority-credential';

/** Reads the JSON that `signet authority create` prints or writes, saying what is wrong with anything else. */
export function parseCredential(text: string): AuthorityCredential {
  const trimmed = text.trim();
  if (trimmed === '') throw new InputError('Choose the credential file, or paste its contents.');
  let json: unknown;
  try {
    json = JSON.parse(trimmed);
  } catch {
    throw new InputError(
      'This is not a credential: it is not valid JSON. Paste the whole file that `signet authority create` wrote, from { to }.',
    );
  }
  const c = json as Partial<AuthorityCredential> | null;
  if (typeof c !== 'object' || c === null || c.type !== 'signet-authority-credential') {
    throw new InputError(
      'This JSON is not a Signet authority credential (its "type" must be "signet-authority-credential").',
    );
  }
  if (typeof c.authorityId !== 'string' || !/^auth_[A-Za-z0-9_-]+$/.test(c.authorityId)) {
    throw new InputError('The credential has no valid authorityId (auth_…): the file is damaged or incomplete.');
  }
  if (typeof c.privateKey !== 'string' || !/^[A-Za-z0-9_-]{40,}$/.test(c.privateKey)) {
    throw new InputError('The credential has no private key: the file is damaged or incomplete.');
  }
  return {
    type: 'signet-authority-credential',
    version: 1,
    authorityId: c.authorityId,
    name: typeof c.name === 'string' ? c.name : c.authorityId,
    roles: Array.isArray(c.roles) ? c.roles.filter((r): r is string => typeof r === 'string') : [],
    privateKey: c.privateKey,
    publicKey: typeof c.publicKey === 'string' ? c.publicKey : '',
  };
}

/** The credential this tab kept, if the authority asked to stay signed in across reloads. */
export function loadKeptCredential(): AuthorityCredential | undefined {
  try {
    const text = sessionStorage.getItem(SESSION_KEY);
    return text ? parseCredential(text) : undefined;
  } catch {
    return undefined;
  }
}

export function keepCredential(credential: AuthorityCredential): void {
  sessionStorage.setItem(SESSION_KEY, JSON.stringify(credential));
}

export function forgetCredential(): void {
  sessionStorage.removeItem(SESSION_KEY);
}
