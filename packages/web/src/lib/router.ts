import { useSyncExternalStore } from 'react';

/** The app's pages; the server answers index.html for each of them. */
export type Route =
  | '/'
  | '/identification'
  | '/notices'
  | '/settings'
  | '/chats/new'
  | `/chats/${string}`
  | `/chats/${string}/info`;
const ROUTES: readonly string[] = ['/', '/identification', '/notices', '/settings', '/chats/new'];
/** A conversation (its id is base64url) and its details page. */
const CONVERSATION = /^\/chats\/([A-Za-z0-9_-]{16,128})(\/info)?$/;

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
  return ROUTES.includes(path) || CONVERSATION.test(path) ? (path as Route) : '/';
}

export function useRoute(): Route {
  return useSyncExternalStore(subscribe, current);
}

export function navigate(to: Route, { replace = false } = {}): void {
  if (window.location.pathname !== to) window.history[replace ? 'replaceState' : 'pushState'](null, '', to);
  for (const l of listeners) l();
}

export function conversationRoute(conversationId: string, page: 'messages' | 'info' = 'messages'): Route {
  return page === 'info' ? `/chats/${conversationId}/info` : `/chats/${conversationId}`;
}

/** The conversation a route shows, and which of its pages. */
export function routeConversation(route: Route): { id: string; page: 'messages' | 'info' } | undefined {
  const m = CONVERSATION.exec(route);
  return m?.[1] ? { id: m[1], page: m[2] ? 'info' : 'messages' } : undefined;
}
