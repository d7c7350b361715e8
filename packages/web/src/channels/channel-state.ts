import type { SignetClient } from '@signet/client';
import { createContext, useContext, useSyncExternalStore } from 'react';

/**
 * What the channel screens share: one revision number that moves when a followed channel gets a post or loses
 * one (pushed live), when the connection comes back (posts may have been missed), and when this app follows,
 * unfollows, reads or posts. Lists reload on it.
 */
export class ChannelState {
  readonly #listeners = new Set<() => void>();
  #detach: (() => void) | undefined;
  #revision = 0;

  constructor(readonly client: SignetClient) {}

  subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener);
    if (!this.#detach) {
      const offs = [
        this.client.channels.on('post', () => this.changed()),
        this.client.channels.on('removed', () => this.changed()),
        this.client.on('connection', ({ state }) => {
          if (state === 'open') this.changed();
        }),
        // An order on one of this account's channels or posts, or its end.
        this.client.on('account', (event) => {
          if (event.type.startsWith('restriction.')) this.changed();
        }),
      ];
      this.#detach = () => {
        for (const off of offs) off();
      };
    }
    return () => {
      this.#listeners.delete(listener);
      if (this.#listeners.size === 0) {
        this.#detach?.();
        this.#detach = undefined;
      }
    };
  };

  revision = (): number => this.#revision;

  changed(): void {
    this.#revision++;
    for (const l of this.#listeners) l();
  }
}

export const ChannelContext = createContext<ChannelState | undefined>(undefined);

export function useChannels(): { state: ChannelState; client: SignetClient; revision: number } {
  const state = useContext(ChannelContext);
  if (!state) throw new Error('useChannels outside the signed-in app');
  const revision = useSyncExternalStore(state.subscribe, state.revision);
  return { state, client: state.client, revision };
}
