import { SignetApiError, type SignetClient } from '@signet/client';

export interface RunOptions {
  /** Whether this tab runs the client (false while another tab of the same browser does). */
  onActive: (active: boolean) => void;
  /** The server no longer knows this device's session. */
  onSignedOut: () => void;
  /** A start failed; it is tried again by itself. */
  onError: (error: unknown) => void;
  /**
   * The other tab closed after this one had waited for it: what this tab read meanwhile (MLS groups the SDK keeps
   * in memory) may be older than what the other tab wrote, so it should start afresh (reload).
   */
  onTakeOver: () => void;
}

const LOCK = 'signet-device';

/**
 * Starts the client (device keys, KeyPackages, the live inbox) and keeps it running until the returned
 * function is called. Starts and stops happen one at a time, so that React's doubled effects never leave two
 * sockets. Only one tab of a browser runs the device at once (two would advance the same MLS groups): the
 * others wait for its lock and take over when it closes.
 */
export function keepRunning(client: SignetClient, options: RunOptions): () => void {
  let wanted = true;
  let release: (() => void) | undefined;
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  const run = async () => {
    for (let attempt = 0; wanted; attempt++) {
      try {
        await client.start();
        // Stopped while it was starting: the connection it just opened must not outlive this run.
        if (!wanted) client.stop();
        return;
      } catch (error) {
        if (error instanceof SignetApiError && error.code === 'UNAUTHENTICATED') {
          options.onSignedOut();
          return;
        }
        options.onError(error);
        await new Promise((resolve) => setTimeout(resolve, Math.min(30_000, 1000 * 2 ** attempt)));
      }
    }
  };
  const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined;
  if (!locks) {
    void run();
  } else {
    void locks
      .request(LOCK, { ifAvailable: true }, async (lock) => {
        if (lock) return runHolding();
        // Said only if the wait lasts: a reload or React's remount frees the lock a moment later.
        let waited = false;
        const telling = setTimeout(() => {
          waited = true;
          options.onActive(false);
        }, 500);
        return locks.request(LOCK, () => {
          clearTimeout(telling);
          if (waited) return options.onTakeOver();
          return runHolding();
        });
      })
      .catch((error: unknown) => options.onError(error));
  }
  async function runHolding(): Promise<void> {
    if (!wanted) return;
    options.onActive(true);
    await run();
    await held;
  }
  return () => {
    wanted = false;
    client.stop();
    release?.();
  };
}
