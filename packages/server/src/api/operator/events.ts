import { randomId } from '@signet/common';
import { CORRELATOR_PATTERN } from '@signet/protocol';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context';

/** Events carry up to 1000 results or notices. */
const EVENT_BODY_LIMIT = 2 * 1024 * 1024;

/**
 * `POST /operator/v1/events`: identification results and contract-termination notices from operators
 * (spec 4.2, 4.4). Signed over the raw body bytes, so it reads the body as bytes, and it answers in the
 * protocol's error shape with an `x-correlator` on every response.
 */
export async function registerOperatorEvents(app: FastifyInstance, ctx: AppContext): Promise<void> {
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: EVENT_BODY_LIMIT }, (_req, body, done) =>
      done(null, body),
    );
    scope.setErrorHandler((error, req, reply) => {
      const e = error as { code?: string; statusCode?: number };
      const tooLarge = e.code === 'FST_ERR_CTP_BODY_TOO_LARGE';
      const clientError = typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500;
      const [status, code, message] = tooLarge
        ? [413, 'TOO_LARGE', 'body too large']
        : clientError
          ? [400, 'INVALID_ARGUMENT', 'bad request']
          : [503, 'UNAVAILABLE', 'could not apply the event now; retry'];
      if (status === 503) req.log.error({ err: error }, 'operator event failed');
      reply.code(status).header('x-correlator', correlatorOf(req.headers['x-correlator']));
      if (status === 503) reply.header('retry-after', '5');
      reply.send({ status, code, message });
    });
    scope.post('/operator/v1/events', { schema: { hide: true } }, async (req, reply) => {
      const given = req.headers['x-correlator'];
      if (given !== undefined && (typeof given !== 'string' || !CORRELATOR_PATTERN.test(given))) {
        return reply
          .code(400)
          .header('x-correlator', randomId('sg'))
          .send({ status: 400, code: 'INVALID_ARGUMENT', message: 'x-correlator is malformed' });
      }
      reply.header('x-correlator', given ?? randomId('sg'));
      const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const answer = await ctx.identification.events.receive(raw, req.headers);
      if (answer.retryAfter !== undefined) reply.header('retry-after', String(answer.retryAfter));
      reply.code(answer.status);
      return answer.body === undefined ? reply.send() : reply.send(answer.body);
    });
  });
}

function correlatorOf(value: string | string[] | undefined): string {
  return typeof value === 'string' && CORRELATOR_PATTERN.test(value) ? value : randomId('sg');
}
