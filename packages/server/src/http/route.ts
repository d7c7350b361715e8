import type { AuthorityRole } from '@signet/protocol';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Static, TSchema } from 'typebox';
import type { AuthenticatedDevice } from '../accounts/account-manager';
import type { AuthenticatedAuthority } from '../authority/request-auth';
import type { AppContext } from '../context';

type StaticOr<T, Fallback> = T extends TSchema ? Static<T> : Fallback;

export interface RouteSchema {
  body?: TSchema;
  params?: TSchema;
  querystring?: TSchema;
  response?: Record<number, TSchema>;
}

/** An authority's signed request (README, "Authority API"), holding the role named, if one is. */
export type AuthorityAuth = 'authority' | `authority:${AuthorityRole}`;

/**
 * Who may call a route. `device`: a bearer session token; `development`: only when SIGNET_ENV=development;
 * `authority[:role]`: a request signed by an enabled authority (with that role).
 */
export type RouteAuth = 'none' | 'device' | 'development' | AuthorityAuth;

export function isAuthorityAuth(auth: RouteAuth): auth is AuthorityAuth {
  return auth === 'authority' || auth.startsWith('authority:');
}

export interface HandlerInput<S extends RouteSchema, A extends RouteAuth> {
  ctx: AppContext;
  body: StaticOr<S['body'], undefined>;
  params: StaticOr<S['params'], Record<string, never>>;
  query: StaticOr<S['querystring'], Record<string, never>>;
  auth: A extends 'device' ? AuthenticatedDevice : A extends AuthorityAuth ? AuthenticatedAuthority : undefined;
  /** The client's address, for per-address limits and account events. */
  address: string;
  req: FastifyRequest;
  reply: FastifyReply;
}

/** An endpoint as data: method, path, auth, schema, handler. Index files only wire these. */
export interface RouteDef<S extends RouteSchema = RouteSchema, A extends RouteAuth = RouteAuth> {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  url: string;
  summary: string;
  tags: string[];
  auth: A;
  schema: S;
  /** A larger body limit than the server's default, in bytes. */
  bodyLimit?: (ctx: AppContext) => number;
  /** Status of a successful answer (default 200; 204 sends no body). */
  status?: number;
  handler(input: HandlerInput<S, A>): Promise<unknown>;
}

export function defineRoute<S extends RouteSchema, A extends RouteAuth>(def: RouteDef<S, A>): RouteDef {
  return def as unknown as RouteDef;
}
