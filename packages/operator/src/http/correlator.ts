import { randomUUID } from 'node:crypto';
import { CORRELATOR_PATTERN } from '@signet/protocol';
import type { FastifyInstance } from 'fastify';
import { invalidArgument } from '../errors';

declare module 'fastify' {
  interface FastifyRequest {
    correlator: string;
  }
}

/**
 * Spec 2: every response echoes the request's x-correlator, errors and replays included; a request without
 * one gets a new one, and a malformed one gets 400 carrying a correlator of ours.
 */
export function installCorrelator(app: FastifyInstance): void {
  app.decorateRequest('correlator', '');
  app.addHook('onRequest', async (req, reply) => {
    const given = req.headers['x-correlator'];
    const valid = typeof given === 'string' && CORRELATOR_PATTERN.test(given);
    req.correlator = valid ? given : randomUUID();
    reply.header('x-correlator', req.correlator);
    if (given !== undefined && !valid) throw invalidArgument('x-correlator must match [A-Za-z0-9._:-]{1,128}');
  });
  // Whatever path the answer took (error handler, not-found handler), it leaves with the correlator.
  app.addHook('onSend', async (req, reply, payload) => {
    if (!reply.hasHeader('x-correlator')) reply.header('x-correlator', req.correlator || randomUUID());
    return payload;
  });
}
