import { mkdirSync, readdirSync, rmdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const WEB_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const PACKAGES = join(WEB_ROOT, '..');
const SOURCES = [
  join(WEB_ROOT, 'src'),
  join(WEB_ROOT, 'public'),
  join(WEB_ROOT, 'index.html'),
  join(WEB_ROOT, 'vite.config.ts'),
  join(WEB_ROOT, 'package.json'),
  join(PACKAGES, 'client', 'src'),
  join(PACKAGES, 'protocol', 'src'),
];
const LOCK = join(tmpdir(), 'signet-web-build.lock');

/**
 * Builds packages/web/dist (what the messenger serves at `/`) unless it is newer than its sources. Browser test
 * files may run at once: the build is done by one at a time, so that no build empties dist/ under another
 * file's running server.
 */
export async function buildWebApp(): Promise<void> {
  await lock();
  try {
    const builtAt = mtime(join(WEB_ROOT, 'dist', 'index.html'));
    if (builtAt !== undefined && builtAt >= Math.max(...SOURCES.map(newest))) return;
    await build({ root: WEB_ROOT, logLevel: 'warn' });
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

function mtime(path: string): number | undefined {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return undefined;
  }
}

function newest(path: string): number {
  const own = mtime(path) ?? 0;
  if (!statSync(path, { throwIfNoEntry: false })?.isDirectory()) return own;
  const entries = readdirSync(path, { recursive: true, encoding: 'utf8' });
  return Math.max(own, ...entries.map((entry) => mtime(join(path, entry)) ?? 0));
}
