import swagger from '@fastify/swagger';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { ErrorBody } from '@signet/protocol';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyRequest } from 'fastify';
import type { AuthenticatedDevice } from '../accounts/account-manager';
import { routes } from '../api';
import { registerOperatorEvents } from '../api/operator/events';
import type { AuthenticatedAuthority } from '../authority/request-auth';
import type { AppContext } from '../context';
import { ApiError, unauthenticated } from '../errors';
import { attachRealtime } from '../realtime/gateway';
import { authorityOf, registerAuthorityRoutes } from './authority-scope';
import { sendError } from './errors';
import { isAuthorityAuth, type RouteDef } from './route';
import { VERSION } from './version';
import { registerWebApp } from './web';

export { VERSION } from './version';

/** Builds the HTTP server: every route from the API index, one error shape, OpenAPI, metrics, WebSocket. */
export async function buildApp(ctx: AppContext): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: ctx.log.child({ module: 'http' }) as FastifyBaseLogger,
    bodyLimit: ctx.config.bodyLimit,
    trustProxy: ctx.config.trustProxy,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, allErrors: false } },
  }).withTypeProvider<TypeBoxTypeProvider>();
  // Bodies are JSON only: a text/plain body would reach validation and be answered 400 instead of 415.
  app.removeContentTypeParser('text/plain');
  // Encrypted attachments arrive as bytes.
  app.addContentTypeParser('application/octet-stream', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Signet messenger API', version: VERSION },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer' },
          authoritySignature: { type: 'apiKey', in: 'header', name: 'Signet-Signature' },
        },
      },
    },
  });

  app.setErrorHandler((error, req, reply) => sendError(error, req, reply));
  app.setNotFoundHandler((req, reply) =>
    sendError(new ApiError(404, 'NOT_FOUND', `no route ${req.method} ${req.url.split('?')[0]}`), req, reply),
  );

  app.addHook('onResponse', async (req, reply) => {
    const route = req.routeOptions.url ?? 'unknown';
    ctx.metrics.httpDuration.observe(
      { method: req.method, route, status: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
    req.log.debug({ method: req.method, route, status: reply.statusCode, ms: reply.elapsedTime }, 'request');
  });

  // Development routes do not exist elsewhere, so that they answer exactly as unknown routes do.
  for (const def of routes) {
    if (isAuthorityAuth(def.auth)) continue;
    if (def.auth !== 'development' || ctx.config.env === 'development') register(app, ctx, def);
  }
  // Signed over their raw bodies: in a scope of their own.
  await registerAuthorityRoutes(
    app,
    ctx,
    routes.filter((def) => isAuthorityAuth(def.auth)),
    register,
  );

  // The operator event endpoint reads raw bytes (they are signed) and answers in the protocol's error shape.
  await registerOperatorEvents(app, ctx);

  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  app.get('/metrics', { schema: { hide: true } }, async (_req, reply) => {
    reply.type(ctx.metrics.registry.contentType);
    return ctx.metrics.registry.metrics();
  });

  attachRealtime(app, ctx);
  await registerWebApp(app);
  return app;
}

function register(app: FastifyInstance, ctx: AppContext, def: RouteDef): void {
  const errors = {
    400: ErrorBody,
    401: ErrorBody,
    ...(isAuthorityAuth(def.auth) ? { 403: ErrorBody } : {}),
    429: ErrorBody,
  };
  app.route({
    method: def.method,
    url: def.url,
    ...(def.bodyLimit ? { bodyLimit: def.bodyLimit(ctx) } : {}),
    schema: {
      summary: def.summary,
      tags: def.tags,
      ...(def.auth === 'device' ? { security: [{ bearer: [] }] } : {}),
      ...(isAuthorityAuth(def.auth) ? { security: [{ authoritySignature: [] }] } : {}),
      ...(def.auth === 'development' ? { hide: true } : {}),
      ...def.schema,
      response: { ...errors, ...(def.schema.response ?? {}) },
    },
    handler: async (req, reply) => {
      let auth: AuthenticatedDevice | AuthenticatedAuthority | undefined;
      if (def.auth === 'device') auth = await ctx.accounts.authenticate(bearerToken(req));
      if (isAuthorityAuth(def.auth)) auth = authorityOf(req);
      if (def.auth === 'development' && ctx.config.env !== 'development') {
        throw new ApiError(404, 'NOT_FOUND', `no route ${req.method} ${req.url.split('?')[0]}`);
      }
      const result = await def.handler({
        ctx,
        body: req.body as never,
        params: req.params as never,
        query: req.query as never,
        auth: auth as never,
        address: req.ip,
        req,
        reply,
      });
      reply.code(def.status ?? 200);
      return def.status === 204 ? reply.send() : result;
    },
  });
}

export function bearerToken(req: FastifyRequest): string {
  const header = req.headers.authorization;
  const match = header ? /^Bearer ([A-Za-z0-9_-]{20,128})$/.exec(header) : null;
  if (!match?.[1]) throw unauthenticated();
  return match[1];
}
