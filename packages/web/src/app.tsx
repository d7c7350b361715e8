import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Home } from './home/home';
import { createApi } from './lib/api';
import { describeError } from './lib/errors';
import { navigate } from './lib/router';
import { SessionContext, type SessionContextValue } from './lib/session-context';
import { SessionStore, type StoredSession } from './lib/session-store';
import { Registration } from './registration/registration';

/** Loads this browser's session from IndexedDB: the signed-in app with one, registration without. */
export function App() {
  const store = useMemo(() => new SessionStore(), []);
  const [session, setSessionState] = useState<StoredSession | null>();
  const [note, setNote] = useState<string>();
  const current = useRef<StoredSession | null>(null);
  const setSession = useCallback((next: StoredSession | null) => {
    current.current = next;
    setSessionState(next);
  }, []);

  useEffect(() => {
    store.load().then(
      (loaded) => setSession(loaded ?? null),
      (error: unknown) => {
        setNote(
          `This browser cannot keep Signet’s keys (${describeError(error)}). Private browsing often blocks storage: use a normal window.`,
        );
        setSession(null);
      },
    );
  }, [store, setSession]);

  const signOut = useCallback(
    async (reason?: string) => {
      // At once, before the store answers, so that a `lost` arriving meanwhile sees the user has left.
      current.current = null;
      await store.clear();
      setNote(reason);
      setSession(null);
      navigate('/', { replace: true });
    },
    [store, setSession],
  );

  const context = useMemo<SessionContextValue | undefined>(
    () =>
      session
        ? {
            session,
            api: createApi(session.token),
            signOut,
            lost: async (reason) => {
              if (current.current === session) await signOut(reason);
            },
          }
        : undefined,
    [session, signOut],
  );

  if (session === undefined) return <p className="loading">Loading Signet…</p>;
  if (!context) {
    return (
      <Registration
        store={store}
        note={note}
        onRegistered={(registered, outcome) => {
          setNote(outcome);
          setSession(registered);
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
