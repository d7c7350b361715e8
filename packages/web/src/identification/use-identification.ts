import type { ConnectionState } from '@signet/client';
import type { IdentificationStatus } from '@signet/protocol';
import { useCallback, useEffect, useRef, useState } from 'react';
import { isApiError } from '../lib/errors';
import { useSession } from '../lib/session-context';
import { SIGNED_OUT } from '../lib/use-device-connection';

export interface IdentificationState {
  status: IdentificationStatus | undefined;
  error: unknown;
  refresh: () => Promise<void>;
  setStatus: (status: IdentificationStatus) => void;
}

/** The account's identification status, kept current by pushed events (and a slow poll, should the socket drop). */
export function useIdentification(connection: ConnectionState): IdentificationState {
  const { api, client, session, lost } = useSession();
  const [status, setStatusState] = useState<IdentificationStatus>();
  const [error, setError] = useState<unknown>();
  const latestRequest = useRef(0);

  /** A status from elsewhere (the retry's answer) is newer than any status request still on its way. */
  const setStatus = useCallback((next: IdentificationStatus) => {
    latestRequest.current++;
    setStatusState(next);
  }, []);

  const refresh = useCallback(async () => {
    // Answers may come back out of order; only the one asked last may set the status.
    const request = ++latestRequest.current;
    try {
      const next = await api.identification();
      if (request !== latestRequest.current) return;
      setStatusState(next);
      setError(undefined);
    } catch (e) {
      if (isApiError(e, 'UNAUTHENTICATED')) await lost(SIGNED_OUT);
      else if (request === latestRequest.current) setError(e);
    }
  }, [api, lost]);

  useEffect(
    () =>
      client.on('account', (event) => {
        if (event.type === 'identification.changed') void refresh();
        if (event.type === 'account.retired') void refresh();
        if (event.type === 'device.revoked' && event.deviceId === session.deviceId) void lost(SIGNED_OUT);
      }),
    [client, refresh, lost, session.deviceId],
  );

  useEffect(() => {
    void refresh();
  }, [refresh]);

  // Catch up on what happened before the socket was listening (at start, and after each reconnection), and look
  // again now and then while the operator is being asked.
  useEffect(() => {
    if (connection === 'open') void refresh();
  }, [connection, refresh]);
  const pending = status?.state === 'pending';
  useEffect(() => {
    if (!pending) return;
    const timer = setInterval(() => void refresh(), 15_000);
    return () => clearInterval(timer);
  }, [pending, refresh]);

  return { status, error, refresh, setStatus };
}
