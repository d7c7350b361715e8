import { timingSafeEqual } from 'node:crypto';
import { getPayload, sha256Hex, type VerifyOutcome, verifySignature } from '@signet/common';
import type { FastifyRequest } from 'fastify';
import type { MessengerConfig } from '../config/config';
import type { OperatorContext } from '../context';
import { invalidArgument, notFound, unauthenticated } from '../errors';

/** A POST signed by a known messenger: its raw bytes (the signed payload), their JSON and the idempotency key. */
export interface SignedBody {
  messenger: MessengerConfig;
  webhookId: string;
  raw: Buffer;
  json: Record<string, unknown>;
}

export interface SignedQuery {
  messenger: MessengerConfig;
  /** The request target exactly as sent, which the signature covers. */
  target: string;
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Spec 2: the sender is the body's `messengerId`; a body that is not JSON names none, so every secret is
 * tried, and only a verified signature earns the 400 (anyone else learns nothing but 401).
 */
export function authenticateBody(ctx: OperatorContext, req: FastifyRequest): SignedBody {
  const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
  const now = ctx.clock.now();
  let json: unknown;
  try {
    json = JSON.parse(UTF8.decode(raw));
  } catch {
    if (verifySignature(ctx.messengers.allSecrets(), req.headers, raw, now) === 'ok') {
      throw invalidArgument('the body is not valid JSON');
    }
    throw unauthenticated();
  }
  const id = typeof json === 'object' && json !== null ? (json as { messengerId?: unknown }).messengerId : undefined;
  const messenger = typeof id === 'string' ? ctx.messengers.get(id) : undefined;
  if (!messenger) throw unauthenticated('messengerId names no messenger this operator serves');
  check(verifySignature(messenger.secrets, req.headers, raw, now));
  return { messenger, webhookId: String(req.headers['webhook-id']), raw, json: json as Record<string, unknown> };
}

/** Spec 2: a GET is signed over `GET <target>`, so a captured signature is worthless for another resource. */
export function authenticateQuery(ctx: OperatorContext, req: FastifyRequest): SignedQuery {
  const target = req.raw.url ?? req.url;
  const ids = new URLSearchParams(target.split('?')[1] ?? '').getAll('messengerId');
  const messenger = ids.length === 1 && ids[0] ? ctx.messengers.get(ids[0]) : undefined;
  if (!messenger) throw unauthenticated('messengerId names no messenger this operator serves');
  check(verifySignature(messenger.secrets, req.headers, getPayload('GET', target), ctx.clock.now()));
  return { messenger, target };
}

function check(outcome: VerifyOutcome): void {
  if (outcome === 'missing') throw unauthenticated('webhook-id, webhook-timestamp and webhook-signature are required');
  if (outcome === 'stale') throw unauthenticated('webhook-timestamp is more than 300 s away from the operator clock');
  if (outcome !== 'ok') throw unauthenticated('no current secret of this messenger verifies the signature');
}

/** The admin API: off (404) without a configured token; otherwise a bearer token compared by its hash. */
export function authenticateAdmin(ctx: OperatorContext, req: FastifyRequest): true {
  const expected = ctx.config.adminTokenHash;
  if (!expected) throw notFound('the admin API is off: set SIGNET_OPERATOR_ADMIN_TOKEN');
  const match = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '');
  const given = Buffer.from(sha256Hex(match?.[1] ?? ''), 'hex');
  if (!match || !timingSafeEqual(given, Buffer.from(expected, 'hex'))) {
    throw unauthenticated('a valid admin token is required');
  }
  return true;
}
