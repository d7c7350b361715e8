import { getJson, type KeyStore, putJson, type SessionRecord } from '@signet/client';
import type { Registered } from '@signet/protocol';

/**
 * What this browser keeps about its registered device: the SDK's session record, under the SDK's key, in the
 * same IndexedDB key store as the device's MLS keys and conversations, so that the SDK's client loads it as is.
 */
export type StoredSession = SessionRecord;

const SESSION_KEY = 'session';

export class SessionStore {
  constructor(private readonly store: KeyStore) {}

  /** The session registered with this server, if this browser holds one. */
  async load(): Promise<StoredSession | undefined> {
    const session = await getJson<StoredSession>(this.store, SESSION_KEY);
    return session?.serverUrl === window.location.origin ? session : undefined;
  }

  async save(session: StoredSession): Promise<void> {
    await putJson(this.store, SESSION_KEY, session);
  }

  /**
   * Forgets everything this browser holds: the session, the device's keys, its conversations and their
   * messages. A device that signed out (or was removed) never comes back, so nothing of it is of use, and
   * the next account registered here must not see it.
   */
  async clear(): Promise<void> {
    for (const key of await this.store.list('')) await this.store.delete(key);
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
