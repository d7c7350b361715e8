import { useSyncExternalStore } from 'react';

/** The app's pages; the server answers index.html for each of them. */
export type Route = '/' | '/identification' | '/notices' | '/settings';
const ROUTES: readonly Route[] = ['/', '/identification', '/notices', '/settings'];

const listeners = new Set<() => void>();

function subscribe(listener: () => void) {
  listeners.add(listener);
  window.addEventListener('popstate', listener);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('popstate', listener);
  };
}

function current(): Route {
  const path = window.location.pathname;
  return (ROUTES as readonly string[]).includes(path) ? (path as Route) : '/';
}

export function useRoute(): Route {
  return useSyncExternalStore(subscribe, current);
}

export function navigate(to: Route, { replace = false } = {}): void {
  if (window.location.pathname !== to) window.history[replace ? 'replaceState' : 'pushState'](null, '', to);
  for (const l of listeners) l();
}
