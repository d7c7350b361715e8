import type { ErrorBody } from '@signet/protocol';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { ApiError } from '../errors';

const FASTIFY_CODES: Record<string, [number, string]> = {
  FST_ERR_CTP_BODY_TOO_LARGE: [413, 'TOO_LARGE'],
  FST_ERR_CTP_INVALID_MEDIA_TYPE: [415, 'UNSUPPORTED_MEDIA_TYPE'],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: [400, 'INVALID_ARGUMENT'],
  FST_ERR_CTP_EMPTY_JSON_BODY: [400, 'INVALID_ARGUMENT'],
  FST_ERR_CTP_INVALID_JSON_BODY: [400, 'INVALID_ARGUMENT'],
};

/** The single place where anything thrown becomes the wire error `{ status, code, message }`. */
export function toErrorBody(error: unknown): { body: ErrorBody; retryAfter?: number } {
  if (error instanceof ApiError) {
    const body: ErrorBody = { status: error.status, code: error.code, message: error.message };
    if (error.details) body.details = error.details;
    return error.retryAfter === undefined ? { body } : { body, retryAfter: error.retryAfter };
  }
  const fe = error as Partial<FastifyError> & { validation?: unknown; validationContext?: string };
  if (fe.validation) {
    return { body: { status: 400, code: 'INVALID_ARGUMENT', message: fe.message ?? 'invalid request' } };
  }
  const known = fe.code ? FASTIFY_CODES[fe.code] : undefined;
  if (known) return { body: { status: known[0], code: known[1], message: fe.message ?? known[1] } };
  if (fe instanceof SyntaxError || fe.statusCode === 400) {
    return { body: { status: 400, code: 'INVALID_ARGUMENT', message: 'the request body is not valid JSON' } };
  }
  if (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    return { body: { status: fe.statusCode, code: 'INVALID_ARGUMENT', message: fe.message ?? 'bad request' } };
  }
  return { body: { status: 500, code: 'INTERNAL', message: 'internal error' } };
}

export function sendError(error: unknown, req: FastifyRequest, reply: FastifyReply): FastifyReply {
  const { body, retryAfter } = toErrorBody(error);
  if (body.status >= 500) req.log.error({ err: error }, 'request failed');
  if (retryAfter !== undefined) reply.header('retry-after', String(retryAfter));
  return reply.code(body.status).type('application/json').send(body);
}
