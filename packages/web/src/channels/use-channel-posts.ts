import type { Channel, ChannelPost } from '@signet/protocol';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useChannels } from './channel-state';

const PAGE = 20;

export interface ChannelPosts {
  /** Oldest first. */
  posts: ChannelPost[];
  /** Whether older posts are left to load. */
  hasOlder: boolean;
  loaded: boolean;
  loadingOlder: boolean;
  error: unknown;
  loadOlder: () => void;
  /** Why the last post taken off this page while it was open went: its owner deleted it, or an order restricted it. */
  removed: 'deleted' | 'restricted' | undefined;
  /** A post this app just made (it may also arrive live). */
  add: (post: ChannelPost) => void;
}

interface PostsState {
  channelId: string | undefined;
  posts: ChannelPost[];
  older: string | null;
  loaded: boolean;
  loadingOlder: boolean;
  error: unknown;
  removed: 'deleted' | 'restricted' | undefined;
}

const EMPTY: PostsState = {
  channelId: undefined,
  posts: [],
  older: null,
  loaded: false,
  loadingOlder: false,
  error: undefined,
  removed: undefined,
};

/**
 * A channel's posts, a page at a time (older ones on demand), kept current: posts pushed live (for a followed
 * channel) are added, posts deleted or restricted are taken out (a restricted one stays, marked, for its owner),
 * and the newest page is read again when the connection comes back, when an order about this account's channels
 * arrives, and when the tab is shown again (an order lifted meanwhile brings posts back).
 */
export function useChannelPosts(channel: Channel | undefined): ChannelPosts {
  const { client } = useChannels();
  const [state, setState] = useState<PostsState>(EMPTY);
  const id = channel?.channelId;
  const owned = channel?.owned ?? false;
  const current = useRef(state);
  current.current = state;

  useEffect(() => {
    if (!id) return;
    let live = true;
    setState({ ...EMPTY, channelId: id });
    const refresh = () => {
      // Posts newer than any shown when the read starts, and newer than the page, arrived live during it.
      const shown = current.current.channelId === id ? (current.current.posts.at(-1)?.postId ?? 0) : 0;
      return client.channels.posts(id, { limit: PAGE }).then(
        (page) => {
          if (!live) return;
          setState((s) => {
            const newest = [...page.posts].reverse();
            // The page is the truth from its oldest post on; what is older was loaded before and stays.
            const from = newest[0]?.postId ?? Number.POSITIVE_INFINITY;
            const kept = page.nextCursor === null ? [] : s.posts.filter((p) => p.postId < from);
            const after = Math.max(shown, newest.at(-1)?.postId ?? 0);
            const arrived = s.posts.filter((p) => p.postId > after);
            const older = s.loaded && kept.length > 0 ? s.older : page.nextCursor;
            return { ...s, posts: [...kept, ...newest, ...arrived], older, loaded: true, error: undefined };
          });
        },
        (error: unknown) => {
          if (live) setState((s) => ({ ...s, error }));
        },
      );
    };
    void refresh();
    const onVisible = () => {
      if (document.visibilityState === 'visible') void refresh();
    };
    document.addEventListener('visibilitychange', onVisible);
    const offs = [
      client.channels.on('post', (post) => {
        if (post.channelId !== id) return;
        setState((s) => ({ ...s, posts: insert(s.posts, post) }));
      }),
      client.channels.on('removed', (removed) => {
        if (removed.channelId !== id) return;
        const kept = removed.reason === 'restricted' && owned;
        setState((s) => ({
          ...s,
          removed: kept || !s.posts.some((p) => p.postId === removed.postId) ? s.removed : removed.reason,
          posts: kept
            ? s.posts.map((p) => (p.postId === removed.postId ? { ...p, status: 'restricted' as const } : p))
            : s.posts.filter((p) => p.postId !== removed.postId),
        }));
      }),
      client.on('connection', ({ state: connection }) => {
        if (connection === 'open') void refresh();
      }),
      client.on('account', (event) => {
        if (event.type.startsWith('restriction.')) void refresh();
      }),
    ];
    return () => {
      live = false;
      document.removeEventListener('visibilitychange', onVisible);
      for (const off of offs) off();
    };
  }, [client, id, owned]);

  const loadOlder = useCallback(() => {
    const s = current.current;
    if (!s.channelId || s.older === null || s.loadingOlder) return;
    const channelId = s.channelId;
    setState((x) => ({ ...x, loadingOlder: true }));
    client.channels.posts(channelId, { before: s.older, limit: PAGE }).then(
      (page) =>
        setState((x) =>
          x.channelId !== channelId
            ? x
            : {
                ...x,
                posts: [
                  ...[...page.posts].reverse().filter((p) => !x.posts.some((q) => q.postId === p.postId)),
                  ...x.posts,
                ],
                older: page.nextCursor,
                loadingOlder: false,
              },
        ),
      (error: unknown) => setState((x) => ({ ...x, loadingOlder: false, error })),
    );
  }, [client]);

  const add = useCallback((post: ChannelPost) => {
    setState((x) => (x.channelId === post.channelId ? { ...x, posts: insert(x.posts, post) } : x));
  }, []);

  const mine = state.channelId === id;
  return {
    posts: mine ? state.posts : [],
    hasOlder: mine && state.older !== null,
    loaded: mine && state.loaded,
    loadingOlder: state.loadingOlder,
    error: mine ? state.error : undefined,
    loadOlder,
    add,
    removed: mine ? state.removed : undefined,
  };
}

/** Adds a post in order of its id (a live post may arrive while a page is read), once. */
function insert(posts: ChannelPost[], post: ChannelPost): ChannelPost[] {
  if (posts.some((p) => p.postId === post.postId)) return posts;
  const next = [...posts, post];
  next.sort((a, b) => a.postId - b.postId);
  return next;
}
