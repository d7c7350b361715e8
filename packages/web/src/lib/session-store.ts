import { getJson, IndexedDbKeyStore, type KeyStore, putJson } from '@signet/client';
import type { AccountState, Registered } from '@signet/protocol';

/**
 * What this browser keeps about its registered device. The shape and the key are the SDK's session record,
 * in the SDK's IndexedDB key store, so that the SDK's services can take the session over unchanged.
 */
export interface StoredSession {
  accountId: string;
  deviceId: string;
  /** The bearer token: a secret, kept only here. */
  token: string;
  phoneNumber: string;
  deviceName: string;
  serverUrl: string;
  state: AccountState;
  registeredAt: number;
}

const SESSION_KEY = 'session';

export class SessionStore {
  constructor(private readonly store: KeyStore = new IndexedDbKeyStore()) {}

  /** The session registered with this server, if this browser holds one. */
  async load(): Promise<StoredSession | undefined> {
    const session = await getJson<StoredSession>(this.store, SESSION_KEY);
    return session?.serverUrl === window.location.origin ? session : undefined;
  }

  async save(session: StoredSession): Promise<void> {
    await putJson(this.store, SESSION_KEY, session);
  }

  async clear(): Promise<void> {
    await this.store.delete(SESSION_KEY);
  }
}

export function sessionFrom(registered: Registered, phoneNumber: string, deviceName: string): StoredSession {
  return {
    accountId: registered.accountId,
    deviceId: registered.deviceId,
    token: registered.token,
    phoneNumber,
    deviceName,
    serverUrl: window.location.origin,
    state: registered.state,
    registeredAt: Date.now(),
  };
}
