import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyRequest } from 'fastify';
import { routes } from '../api';
import type { OperatorContext } from '../context';
import { notFound } from '../errors';
import { authenticateAdmin, authenticateBody, authenticateQuery } from './auth';
import { installCorrelator } from './correlator';
import { sendError } from './errors';
import type { RouteDef } from './route';

/** Builds the HTTP server: the protocol endpoints, the admin API, one error shape, correlators everywhere. */
export function buildApp(ctx: OperatorContext): FastifyInstance {
  const app = Fastify({
    loggerInstance: ctx.log.child({ module: 'http' }) as FastifyBaseLogger,
    bodyLimit: ctx.config.bodyLimit,
  });
  // Bodies stay raw bytes: they are the signed payload (spec 2), so they are verified before any parsing.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));

  installCorrelator(app);
  app.setErrorHandler((error, req, reply) => sendError(error, req, reply));
  app.setNotFoundHandler((req, reply) =>
    sendError(notFound(`no route ${req.method} ${req.url.split('?')[0]}`), req, reply),
  );
  for (const def of routes) register(app, ctx, def);
  return app;
}

function register(app: FastifyInstance, ctx: OperatorContext, def: RouteDef): void {
  app.route({
    method: def.method,
    url: def.url,
    handler: async (req, reply) => {
      const answer = await def.handler({
        ctx,
        auth: authenticate(ctx, def, req) as never,
        params: req.params as Record<string, string>,
        req,
        reply,
      });
      return reply
        .code(answer.status)
        .type(answer.contentType ?? 'application/json')
        .send(answer.body);
    },
  });
}

function authenticate(ctx: OperatorContext, def: RouteDef, req: FastifyRequest): unknown {
  switch (def.auth) {
    case 'signed-body':
      return authenticateBody(ctx, req);
    case 'signed-query':
      return authenticateQuery(ctx, req);
    case 'admin':
      return authenticateAdmin(ctx, req);
    default:
      return undefined;
  }
}
