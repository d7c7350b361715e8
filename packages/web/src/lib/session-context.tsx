import type { KeyStore, SignetApi, SignetClient } from '@signet/client';
import { createContext, useContext } from 'react';
import type { StoredSession } from './session-store';

export interface SessionContextValue {
  session: StoredSession;
  /** The SDK's client of this device: conversations, contacts, blocks, the live connection. */
  client: SignetClient;
  /** The device's IndexedDB key store (the app keeps its read marks there too). */
  store: KeyStore;
  /** The client's API, authenticated with the session's token. */
  api: SignetApi;
  /** Forgets this device's session after the user signed out or deleted the account, with a note for the next screen. */
  signOut: (note?: string) => Promise<void>;
  /**
   * Forgets the session because the server no longer knows it (revoked elsewhere, account gone). Ignored once the
   * user has left on their own, so that the note says what they did rather than what followed from it.
   */
  lost: (note: string) => Promise<void>;
}

export const SessionContext = createContext<SessionContextValue | undefined>(undefined);

export function useSession(): SessionContextValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside a signed-in screen');
  return value;
}
