// The shared styles first, so that each screen's own sheet (imported with it) comes after them.
import './styles.css';
import { lazy, StrictMode, Suspense } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app';
import { isAuthorityPath } from './lib/router';

// The authority console is a separate app with its own sign-in: it never opens the user's session (IndexedDB).
const AuthorityApp = lazy(() => import('./authority/authority-app').then((m) => ({ default: m.AuthorityApp })));
const authority = isAuthorityPath(window.location.pathname);

// Going back across the two (history) loads the other app afresh rather than showing it inside this one.
window.addEventListener('popstate', () => {
  if (isAuthorityPath(window.location.pathname) !== authority) window.location.reload();
});

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    {authority ? (
      <Suspense fallback={<p className="loading">Loading the authority console…</p>}>
        <AuthorityApp />
      </Suspense>
    ) : (
      <App />
    )}
  </StrictMode>,
);
