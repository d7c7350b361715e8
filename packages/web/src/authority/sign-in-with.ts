import { AuthorityClient, type AuthorityCredential, AuthoritySigner } from '@signet/client/authority';
import type { ConsoleContextValue } from './console-context';

export type SignedIn = Omit<ConsoleContextValue, 'signOut'>;

/** Signs in with a credential: imports its key for signing (not extractable) and asks the server who it is. */
export async function signInWith(credential: AuthorityCredential): Promise<SignedIn> {
  const signer = await AuthoritySigner.fromCredential(credential);
  const client = new AuthorityClient({ baseUrl: window.location.origin, signer });
  const identity = await client.me();
  // The private key stays inside the signer's CryptoKey, which cannot be exported.
  return { client, identity, publicKey: credential.publicKey, signedInAt: Date.now() };
}
