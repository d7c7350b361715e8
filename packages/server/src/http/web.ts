import { existsSync, statSync } from 'node:fs';
import { extname, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';

/** Where `npm run build:web` (and `signet dev`) put the browser app. */
export const WEB_DIST = fileURLToPath(new URL('../../../web/dist', import.meta.url));

/** Paths the app never answers, so that an unknown API route stays a JSON 404 and never becomes index.html. */
const RESERVED = /^\/(v1|operator)(\/|$)|^\/(health|metrics|openapi\.json)$/;

// The app loads only its own scripts; OPAQUE runs as inline WebAssembly, and the socket goes to this origin.
const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

/**
 * Serves the built browser app at `/`: its files, and index.html for a page request to any other path without
 * an extension (the app's own routes). Does nothing when the app has not been built.
 */
export async function registerWebApp(app: FastifyInstance, dir = WEB_DIST): Promise<void> {
  const root = resolve(dir);
  if (!existsSync(resolve(root, 'index.html'))) {
    app.log.info({ root }, 'web app not built; run `npm run build:web` to serve it at /');
    return;
  }
  await app.register(fastifyStatic, { root, serve: false });
  app.get('/*', { schema: { hide: true } }, (req, reply) => {
    const path = decodePath(req.url);
    if (path === undefined || RESERVED.test(path)) return reply.callNotFound();
    const file = fileIn(root, path);
    if (file) return send(reply, file, file.startsWith('assets/'));
    // Only a browser navigating to one of the app's routes gets the app; other callers get the JSON 404.
    if (extname(path) === '' && req.headers.accept?.includes('text/html')) return send(reply, 'index.html', false);
    return reply.callNotFound();
  });
  app.log.info({ root }, 'serving the web app at /');
}

function send(reply: FastifyReply, file: string, immutable: boolean) {
  reply.headers(SECURITY_HEADERS);
  // Built assets carry a content hash in their names; index.html must be fetched again to find new ones.
  const cacheControl = immutable ? 'public, max-age=31536000, immutable' : 'no-cache';
  return reply.header('cache-control', cacheControl).sendFile(file, { cacheControl: false });
}

function decodePath(url: string): string | undefined {
  try {
    return decodeURIComponent(url.split('?')[0] ?? '/');
  } catch {
    return undefined;
  }
}

/** The file under root that the path names, relative to root; undefined if none or if it would leave root. */
function fileIn(root: string, path: string): string | undefined {
  const full = resolve(root, `.${path}`);
  if (!full.startsWith(root + sep)) return undefined;
  try {
    return statSync(full).isFile()
      ? full
          .slice(root.length + 1)
          .split(sep)
          .join('/')
      : undefined;
  } catch {
    return undefined;
  }
}
