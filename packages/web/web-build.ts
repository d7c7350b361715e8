import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The web package's folder: the app, its vite.config.ts and the dist/ the messenger serves at `/`. */
export const WEB_ROOT = fileURLToPath(new URL('.', import.meta.url));
const PACKAGES = join(WEB_ROOT, '..');
/** What the web bundle is built from: the app and the workspace packages it bundles. */
const SOURCES = [
  join(WEB_ROOT, 'src'),
  join(WEB_ROOT, 'public'),
  join(WEB_ROOT, 'index.html'),
  join(WEB_ROOT, 'vite.config.ts'),
  join(WEB_ROOT, 'package.json'),
  join(PACKAGES, 'client', 'src'),
  join(PACKAGES, 'protocol', 'src'),
];

/** Whether dist/ holds no build, one older than a source, or one newer than all of them. */
export function webBuildState(): 'missing' | 'stale' | 'fresh' {
  const builtAt = mtime(join(WEB_ROOT, 'dist', 'index.html'));
  if (builtAt === undefined) return 'missing';
  return builtAt >= Math.max(...SOURCES.map(newest)) ? 'fresh' : 'stale';
}

/** Builds the app into dist/ with its vite.config.ts (Vite is loaded only when a build is needed). */
export async function buildWeb(): Promise<void> {
  const { build } = await import('vite');
  await build({ root: WEB_ROOT, logLevel: 'warn' });
}

/** A file's modification time, or undefined if it is not there. */
export function mtime(path: string): number | undefined {
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
