import { toBase64url } from '../mls/bytes';

/** A random id in the protocol's `Id` alphabet: client message ids, content ids. */
export function randomId(bytes = 16): string {
  return toBase64url(crypto.getRandomValues(new Uint8Array(bytes)));
}
