import type { AuthorityRole } from '@signet/protocol';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AuthenticatedAuthority } from '../authority/request-auth';
import type { AppContext } from '../context';
import { ApiError, unauthenticated } from '../errors';
import { isAuthorityAuth, type RouteDef } from './route';

const verified = new WeakMap<FastifyRequest, AuthenticatedAuthority>();

/**
 * Registers the authority API in a scope of its own. Requests there are signed over the raw body bytes, so
 * the body is read as bytes; one preValidation hook verifies the signature and the role the route declared
 * (`auth: 'authority:<role>'`) before the body is parsed and validated, so that nothing unsigned gets further.
 */
export async function registerAuthorityRoutes(
  app: FastifyInstance,
  ctx: AppContext,
  defs: readonly RouteDef[],
  register: (scope: FastifyInstance, ctx: AppContext, def: RouteDef) => void,
): Promise<void> {
  const roles = new Map<string, AuthorityRole | undefined>();
  for (const def of defs) {
    if (!isAuthorityAuth(def.auth)) throw new Error(`${def.method} ${def.url} is not an authority route`);
    roles.set(`${def.method} ${def.url}`, def.auth.split(':')[1] as AuthorityRole | undefined);
  }
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
    scope.addHook('preValidation', async (req) => {
      const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const role = roles.get(`${req.method} ${req.routeOptions.url}`);
      const authority = await ctx.authority.auth.authenticate(
        { method: req.method, target: req.url, headers: req.headers, body: raw },
        role,
      );
      verified.set(req, authority);
      req.body = raw.length === 0 ? undefined : parseJson(raw);
    });
    for (const def of defs) register(scope, ctx, def);
  });
}

/** The authority the scope's hook verified for this request. */
export function authorityOf(req: FastifyRequest): AuthenticatedAuthority {
  const authority = verified.get(req);
  if (!authority) throw unauthenticated('authority requests must be signed');
  return authority;
}

function parseJson(raw: Buffer): unknown {
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    throw new ApiError(400, 'INVALID_ARGUMENT', 'the request body is not valid JSON');
  }
}
