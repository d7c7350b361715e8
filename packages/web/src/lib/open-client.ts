import { createSignetClient, type KeyStore, type SignetClient } from '@signet/client';

/**
 * The SDK's client for this browser's device, over the IndexedDB key store that holds its session. Imported
 * on demand: it brings MLS, which registration does not need.
 */
export function openSignetClient(store: KeyStore): Promise<SignetClient> {
  return createSignetClient({ baseUrl: window.location.origin, store });
}
