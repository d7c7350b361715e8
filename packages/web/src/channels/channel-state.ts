import type { SignetClient } from '@signet/client';
import { createContext, useContext, useSyncExternalStore } from 'react';
import { ClientEventStore } from '../lib/client-event-store';

/**
 * What the channel screens share: one revision number that moves when a followed channel gets a post or loses
 * one (pushed live), when the connection comes back (posts may have been missed), and when this app follows,
 * unfollows, reads or posts. Lists reload on it.
 */
export class ChannelState extends ClientEventStore {
  constructor(readonly client: SignetClient) {
    super();
  }

  protected listen(): (() => void)[] {
    return [
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
  }
}

export const ChannelContext = createContext<ChannelState | undefined>(undefined);

export function useChannels(): { state: ChannelState; client: SignetClient; revision: number } {
  const state = useContext(ChannelContext);
  if (!state) throw new Error('useChannels outside the signed-in app');
  const revision = useSyncExternalStore(state.subscribe, state.revision);
  return { state, client: state.client, revision };
}
