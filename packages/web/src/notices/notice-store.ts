import type { SignetClient, VerifiedNotice } from '@signet/client';
import { createContext, useContext, useSyncExternalStore } from 'react';

export interface NoticesSnapshot {
  /** Oldest first; undefined until the first read. */
  notices: VerifiedNotice[] | undefined;
  /** Every notice up to this id is read. */
  readUpTo: number;
  muted: boolean;
  unread: number;
  /** The newest notice that arrived live while this app was open (for the announcement), unless muted. */
  arrived: VerifiedNotice | undefined;
  error: unknown;
}

const INITIAL: NoticesSnapshot = {
  notices: undefined,
  readUpTo: 0,
  muted: false,
  unread: 0,
  arrived: undefined,
  error: undefined,
};

/**
 * The "Official notices" conversation as the app shows it: every notice of the account (each with the result of
 * this device's signature check), read on start and whenever the connection comes back, with live ones added and
 * withdrawn ones taken out as the SDK reports them; the read mark and mute, kept by the server.
 */
export class NoticeStore {
  readonly #listeners = new Set<() => void>();
  #snapshot = INITIAL;
  #loads = 0;

  constructor(readonly client: SignetClient) {}

  subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  };

  snapshot = (): NoticesSnapshot => this.#snapshot;

  /** Listens to the SDK and reads the notices; answers the function that stops listening. */
  start(): () => void {
    const { notices } = this.client;
    const offs = [
      notices.on('notice', (notice) => {
        const list = this.#snapshot.notices ?? [];
        if (list.some((n) => n.noticeId === notice.noticeId)) return;
        const { muted: _, ...plain } = notice;
        const next = [...list, plain].sort((a, b) => a.noticeId - b.noticeId);
        this.#set({ notices: next, arrived: notice.muted ? this.#snapshot.arrived : plain });
      }),
      notices.on('withdrawn', ({ noticeId }) => {
        const list = this.#snapshot.notices;
        if (list) this.#set({ notices: list.filter((n) => n.noticeId !== noticeId) });
      }),
      this.client.on('connection', ({ state }) => {
        if (state === 'open') void this.reload();
      }),
      this.client.on('identification', () => void this.reload()),
    ];
    void this.reload();
    return () => {
      for (const off of offs) off();
    };
  }

  async reload(): Promise<void> {
    const load = ++this.#loads;
    try {
      const [list, state] = await Promise.all([this.client.notices.all(), this.client.notices.state()]);
      if (load !== this.#loads) return;
      // Live notices that arrived during the read are kept.
      const known = new Set(list.map((n) => n.noticeId));
      const newer = (this.#snapshot.notices ?? []).filter(
        (n) => !known.has(n.noticeId) && n.noticeId > (list.at(-1)?.noticeId ?? 0),
      );
      this.#set({
        notices: [...list, ...newer],
        readUpTo: Math.max(this.#snapshot.readUpTo, state.readUpTo),
        muted: state.muted,
        error: undefined,
      });
    } catch (error) {
      if (load === this.#loads) this.#set({ error });
    }
  }

  /** Marks every notice up to `noticeId` read (here at once, then on the server). */
  async markRead(noticeId: number): Promise<void> {
    if (noticeId <= this.#snapshot.readUpTo) return;
    this.#set({ readUpTo: noticeId });
    await this.client.notices.markRead(noticeId);
  }

  async setMuted(muted: boolean): Promise<void> {
    await this.client.notices.mute(muted);
    this.#set({ muted, arrived: muted ? undefined : this.#snapshot.arrived });
  }

  #set(change: Partial<NoticesSnapshot>): void {
    const next = { ...this.#snapshot, ...change };
    next.unread = (next.notices ?? []).filter((n) => n.noticeId > next.readUpTo).length;
    this.#snapshot = next;
    for (const l of this.#listeners) l();
  }
}

export const NoticeContext = createContext<NoticeStore | undefined>(undefined);

export function useNotices(): NoticesSnapshot & { store: NoticeStore } {
  const store = useContext(NoticeContext);
  if (!store) throw new Error('useNotices outside the signed-in app');
  const snapshot = useSyncExternalStore(store.subscribe, store.snapshot);
  return { ...snapshot, store };
}
