import './authority.css';
import type { AuthorityCredential } from '@signet/client/authority';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { navigate } from '../lib/router';
import { ConsoleContext } from './console-context';
import { ConsoleHome } from './console-home';
import { forgetCredential, keepCredential, loadKeptCredential } from './credential';
import { SignIn } from './sign-in';
import { type SignedIn, signInWith } from './sign-in-with';

/**
 * The authority console at `/authority`: a separate app from the messenger's, with its own sign-in by the
 * credential `signet authority create` gives out. It never opens the user's session or IndexedDB: the key is
 * held in memory (and in this tab's sessionStorage only if asked), and signing out forgets it.
 */
export function AuthorityApp() {
  const [signedIn, setSignedIn] = useState<SignedIn | null>();
  const [note, setNote] = useState<string>();

  useEffect(() => {
    document.title = 'Signet authority console';
    const kept = loadKeptCredential();
    if (!kept) return setSignedIn(null);
    signInWith(kept).then(setSignedIn, () => {
      forgetCredential();
      setNote('Your kept sign-in no longer works: sign in again with the credential.');
      setSignedIn(null);
    });
  }, []);

  const signIn = useCallback((next: SignedIn, kept: AuthorityCredential | undefined) => {
    if (kept) keepCredential(kept);
    else forgetCredential();
    setNote(undefined);
    setSignedIn(next);
    navigate('/authority', { replace: true });
  }, []);

  const signOut = useCallback(() => {
    forgetCredential();
    setSignedIn(null);
    setNote('You signed out: the credential is no longer held by this page.');
    navigate('/authority', { replace: true });
  }, []);

  const context = useMemo(() => (signedIn ? { ...signedIn, signOut } : undefined), [signedIn, signOut]);

  if (signedIn === undefined) return <p className="loading">Loading the authority console…</p>;
  if (!context) return <SignIn note={note} onSignedIn={signIn} />;
  return (
    <ConsoleContext.Provider value={context}>
      <ConsoleHome />
    </ConsoleContext.Provider>
  );
}
