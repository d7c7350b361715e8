import { mkdirSync, rmdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildWeb, mtime, webBuildState } from '../../web-build';

const LOCK = join(tmpdir(), 'signet-web-build.lock');

/**
 * Builds packages/web/dist (what the messenger serves at `/`) unless it is newer than its sources. Browser test
 * files may run at once: the build is done by one at a time, so that no build empties dist/ under another
 * file's running server.
 */
export async function buildWebApp(): Promise<void> {
  await lock();
  try {
    if (webBuildState() === 'fresh') return;
    await buildWeb();
  } finally {
    rmdirSync(LOCK);
  }
}

async function lock(): Promise<void> {
  for (;;) {
    try {
      mkdirSync(LOCK);
      return;
    } catch {
      // A lock left by a killed run is older than any build takes.
      if (Date.now() - (mtime(LOCK) ?? Date.now()) > 120_000) rmdirSync(LOCK);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}
