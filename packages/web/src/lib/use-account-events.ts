import { type ConnectionState, RealtimeConnection, type WebSocketLike } from '@signet/client';
import type { AccountEvent } from '@signet/protocol';
import { useEffect, useRef, useState } from 'react';

export interface AccountEventsOptions {
  onEvent: (event: AccountEvent) => void;
  /** The server closed the socket for good: the device was revoked or the account ended. */
  onClosedForGood?: (reason: string) => void;
}

/**
 * Account events pushed over the WebSocket, reconnecting with backoff. Inbox messages also arrive here;
 * they are left unacknowledged, so the server keeps them for the chat client that can decrypt them.
 */
export function useAccountEvents(token: string, options: AccountEventsOptions): ConnectionState {
  const [state, setState] = useState<ConnectionState>('connecting');
  const latest = useRef(options);
  latest.current = options;

  useEffect(() => {
    const connection = new RealtimeConnection({
      baseUrl: window.location.origin,
      token,
      // Browsers cannot set headers on a WebSocket: the token travels as the `bearer.<token>` subprotocol.
      factory: (url, protocols) => new WebSocket(url, protocols) as unknown as WebSocketLike,
      onFrame: (frame) => {
        if (frame.type === 'event') latest.current.onEvent(frame.event);
      },
      onState: (next, detail) => {
        setState(next);
        if (next === 'stopped' && detail) latest.current.onClosedForGood?.(detail);
      },
    });
    connection.start();
    return () => connection.stop();
  }, [token]);

  return state;
}
