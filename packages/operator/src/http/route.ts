import type { FastifyReply, FastifyRequest } from 'fastify';
import type { OperatorContext } from '../context';
import type { SignedBody, SignedQuery } from './auth';

/**
 * Who may call a route. `signed-body`: a messenger's signed POST (sender by `messengerId` in the body);
 * `signed-query`: a messenger's signed GET (sender by `messengerId` in the query); `admin`: the admin token.
 */
export type RouteAuth = 'signed-body' | 'signed-query' | 'admin' | 'none';

interface AuthOf {
  'signed-body': SignedBody;
  'signed-query': SignedQuery;
  admin: true;
  none: undefined;
}

/** An answer as it goes on the wire; protocol answers are JSON text so that replays can repeat them exactly. */
export interface Answer {
  status: number;
  body: string;
  contentType?: string;
}

export interface HandlerInput<A extends RouteAuth> {
  ctx: OperatorContext;
  auth: AuthOf[A];
  params: Record<string, string>;
  req: FastifyRequest;
  reply: FastifyReply;
}

/** An endpoint as data: method, path, auth, handler. The API index only lists these. */
export interface RouteDef<A extends RouteAuth = RouteAuth> {
  method: 'GET' | 'POST';
  url: string;
  summary: string;
  auth: A;
  handler(input: HandlerInput<A>): Promise<Answer>;
}

export function defineRoute<A extends RouteAuth>(def: RouteDef<A>): RouteDef {
  return def as unknown as RouteDef;
}

export function json(value: unknown, status = 200): Answer {
  return { status, body: JSON.stringify(value) };
}
