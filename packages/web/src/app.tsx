import { IndexedDbKeyStore, type SignetClient } from '@signet/client';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Home } from './home/home';
import { describeError } from './lib/errors';
import { navigate } from './lib/router';
import { SessionContext, type SessionContextValue } from './lib/session-context';
import { SessionStore, type StoredSession } from './lib/session-store';
import { Registration } from './registration/registration';

interface SignedIn {
  session: StoredSession;
  client: SignetClient;
}

/** Loads this browser's session from IndexedDB: the signed-in app with one, registration without. */
export function App() {
  const keyStore = useMemo(() => new IndexedDbKeyStore(), []);
  const store = useMemo(() => new SessionStore(keyStore), [keyStore]);
  const [signedIn, setSignedInState] = useState<SignedIn | null>();
  const [note, setNote] = useState<string>();
  const current = useRef<SignedIn | null>(null);
  const setSignedIn = useCallback((next: SignedIn | null) => {
    current.current = next;
    setSignedInState(next);
  }, []);

  const open = useCallback(
    async (session: StoredSession) => {
      const { openSignetClient } = await import('./lib/open-client');
      setSignedIn({ session, client: await openSignetClient(keyStore) });
    },
    [keyStore, setSignedIn],
  );

  useEffect(() => {
    store
      .load()
      .then((loaded) => (loaded ? open(loaded) : setSignedIn(null)))
      .catch((error: unknown) => {
        setNote(
          `This browser cannot keep Signet’s keys (${describeError(error)}). Private browsing often blocks storage: use a normal window.`,
        );
        setSignedIn(null);
      });
  }, [store, open, setSignedIn]);

  const signOut = useCallback(
    async (reason?: string) => {
      // At once, before the store answers, so that a `lost` arriving meanwhile sees the user has left.
      current.current?.client.stop();
      current.current = null;
      await store.clear();
      setNote(reason);
      setSignedIn(null);
      navigate('/', { replace: true });
    },
    [store, setSignedIn],
  );

  const context = useMemo<SessionContextValue | undefined>(
    () =>
      signedIn
        ? {
            session: signedIn.session,
            client: signedIn.client,
            store: keyStore,
            api: signedIn.client.api,
            signOut,
            lost: async (reason) => {
              if (current.current === signedIn) await signOut(reason);
            },
          }
        : undefined,
    [signedIn, signOut, keyStore],
  );

  if (signedIn === undefined) return <p className="loading">Loading Signet…</p>;
  if (!context) {
    return (
      <Registration
        store={store}
        note={note}
        onRegistered={async (registered, outcome) => {
          setNote(outcome);
          await open(registered);
          // A new account goes on to its identification, however fast the operator answers.
          navigate(registered.state === 'identified' ? '/' : '/identification', { replace: true });
        }}
      />
    );
  }
  return (
    <SessionContext.Provider value={context}>
      <Home note={note} />
    </SessionContext.Provider>
  );
}
