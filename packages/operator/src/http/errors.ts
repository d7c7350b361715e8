import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { OperatorApiError, SubscriberInputError, SubscriberNotFoundError, SubscriberStateError } from '../errors';

interface WireError {
  status: number;
  code: string;
  message: string;
}

const FASTIFY_CODES: Record<string, [number, string]> = {
  FST_ERR_CTP_BODY_TOO_LARGE: [413, 'TOO_LARGE'],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: [400, 'INVALID_ARGUMENT'],
};

/** The single place where anything thrown becomes the CAMARA error `{ status, code, message }`. */
export function toWireError(error: unknown): { body: WireError; retryAfter?: number } {
  if (error instanceof OperatorApiError) {
    const body = { status: error.status, code: error.code, message: error.message };
    return error.retryAfter === undefined ? { body } : { body, retryAfter: error.retryAfter };
  }
  if (error instanceof SubscriberNotFoundError)
    return { body: { status: 404, code: 'NOT_FOUND', message: error.message } };
  if (error instanceof SubscriberStateError) return { body: { status: 409, code: 'CONFLICT', message: error.message } };
  if (error instanceof SubscriberInputError) {
    return { body: { status: 400, code: 'INVALID_ARGUMENT', message: error.message } };
  }
  const fe = error as Partial<FastifyError>;
  const known = fe.code ? FASTIFY_CODES[fe.code] : undefined;
  if (known) return { body: { status: known[0], code: known[1], message: fe.message ?? known[1] } };
  if (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    return { body: { status: 400, code: 'INVALID_ARGUMENT', message: fe.message ?? 'bad request' } };
  }
  // A 500 never shows internals.
  return { body: { status: 500, code: 'INTERNAL', message: 'internal error' } };
}

export function sendError(error: unknown, req: FastifyRequest, reply: FastifyReply): FastifyReply {
  const { body, retryAfter } = toWireError(error);
  if (body.status >= 500) req.log.error({ err: error }, 'request failed');
  if (retryAfter !== undefined) reply.header('retry-after', String(retryAfter));
  return reply.code(body.status).type('application/json').send(body);
}
