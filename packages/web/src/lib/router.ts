import { useSyncExternalStore } from 'react';

/** The app's pages; the server answers index.html for each of them. */
export type Route =
  | '/'
  | '/identification'
  | '/notices'
  | '/settings'
  | '/chats/new'
  | `/chats/${string}`
  | `/chats/${string}/info`
  | '/channels'
  | '/channels/new'
  | `/channels/${string}`
  | AuthorityRoute;

/** The authority console's pages: a separate app with its own sign-in, under `/authority`. */
export type AuthorityRoute = '/authority' | '/authority/orders' | '/authority/mailings' | '/authority/data-requests';

const AUTHORITY_ROUTES: readonly string[] = [
  '/authority',
  '/authority/orders',
  '/authority/mailings',
  '/authority/data-requests',
];
const ROUTES: readonly string[] = [
  '/',
  '/identification',
  '/notices',
  '/settings',
  '/chats/new',
  '/channels',
  '/channels/new',
  ...AUTHORITY_ROUTES,
];
/** A conversation (its id is base64url) and its details page. */
const CONVERSATION = /^\/chats\/([A-Za-z0-9_-]{16,128})(\/info)?$/;
/** A public channel, by its @handle or its id. */
const CHANNEL = /^\/channels\/(@[A-Za-z][A-Za-z0-9_]{2,31}|[A-Za-z0-9_-]{1,64})$/;

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
  return ROUTES.includes(path) || CONVERSATION.test(path) || CHANNEL.test(path) ? (path as Route) : '/';
}

export function useRoute(): Route {
  return useSyncExternalStore(subscribe, current);
}

export function navigate(to: Route, { replace = false } = {}): void {
  if (window.location.pathname !== to) window.history[replace ? 'replaceState' : 'pushState'](null, '', to);
  for (const l of listeners) l();
}

/** Whether the address is the authority console's (which never opens the user's session). */
export function isAuthorityPath(path: string): boolean {
  return path === '/authority' || path.startsWith('/authority/');
}

export function conversationRoute(conversationId: string, page: 'messages' | 'info' = 'messages'): Route {
  return page === 'info' ? `/chats/${conversationId}/info` : `/chats/${conversationId}`;
}

/** The conversation a route shows, and which of its pages. */
export function routeConversation(route: Route): { id: string; page: 'messages' | 'info' } | undefined {
  const m = CONVERSATION.exec(route);
  return m?.[1] ? { id: m[1], page: m[2] ? 'info' : 'messages' } : undefined;
}

/** A channel's page, by its handle (`@town_news`) or id. */
export function channelRoute(ref: string): Route {
  return `/channels/${ref}`;
}

/** The channel a route shows (its handle or id), if it shows one. */
export function routeChannel(route: Route): string | undefined {
  if (route === '/channels/new') return undefined;
  return CHANNEL.exec(route)?.[1];
}
