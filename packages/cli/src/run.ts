import { ConfigError } from '@signet/server';

/** Runs until SIGINT or SIGTERM, then closes what `start` returned, gracefully. */
export async function runUntilSignal(start: () => Promise<Array<{ close(): Promise<void> }>>): Promise<void> {
  let services: Array<{ close(): Promise<void> }>;
  try {
    services = await start();
  } catch (error) {
    fail(error);
  }
  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) process.exit(1);
    closing = true;
    process.stderr.write(`\n${signal}: shutting down…\n`);
    for (const s of services.reverse()) await s.close().catch((e) => process.stderr.write(`${String(e)}\n`));
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

/** Prints an error the way a user can act on, and exits. */
export function fail(error: unknown): never {
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
    process.exit(2);
  }
  const e = error as { code?: string; message?: string };
  if (e?.code === 'EADDRINUSE') {
    process.stderr.write(`error: ${e.message}\nAnother program is using that port; set SIGNET_PORT to another one.\n`);
    process.exit(1);
  }
  process.stderr.write(`error: ${e?.message ?? String(error)}\n`);
  process.exit(1);
}
