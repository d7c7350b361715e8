import type { ConnectionState } from '@signet/client';
import { useEffect, useState } from 'react';
import { keepRunning } from './keep-running';
import { useSession } from './session-context';

export const SIGNED_OUT =
  'This browser was signed out: the device was removed from another device, or the account was deleted. Register again to continue.';

export interface DeviceConnection {
  state: ConnectionState;
  /** False while another tab of this browser runs the device: this one only reads. */
  active: boolean;
  /** Why the last start failed (it is tried again). */
  error: unknown;
}

/**
 * Runs the SDK's client while the signed-in app is shown: device keys and KeyPackages once identified, and one
 * WebSocket for the live inbox and account events, reconnecting with backoff.
 */
export function useDeviceConnection(): DeviceConnection {
  const { client, lost } = useSession();
  const [state, setState] = useState<ConnectionState>('connecting');
  const [active, setActive] = useState(true);
  const [error, setError] = useState<unknown>();

  useEffect(() => {
    const off = client.on('connection', ({ state: next, detail }) => {
      setState(next);
      if (next === 'open') setError(undefined);
      // Closed by the server for good: the device was revoked or the account ended.
      if (next === 'stopped' && detail) void lost(SIGNED_OUT);
    });
    const stop = keepRunning(client, {
      onActive: setActive,
      onSignedOut: () => void lost(SIGNED_OUT),
      onError: setError,
      onTakeOver: () => window.location.reload(),
    });
    return () => {
      off();
      stop();
    };
  }, [client, lost]);

  return { state: active ? state : 'stopped', active, error };
}
