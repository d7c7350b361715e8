import type { FastifyRequest } from 'fastify';
import type { Static, TSchema } from 'typebox';
import { Value } from 'typebox/value';
import { invalidArgument } from '../errors';

/** The admin API's JSON body checked against its schema; an empty body reads as `{}`. */
export function jsonBody<S extends TSchema>(req: FastifyRequest, schema: S): Static<S> {
  const raw = Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '';
  let value: unknown;
  try {
    value = raw.trim() === '' ? {} : JSON.parse(raw);
  } catch {
    throw invalidArgument('the body is not valid JSON');
  }
  if (!Value.Check(schema, value)) {
    const first = Value.Errors(schema, value)[0];
    throw invalidArgument(`${first?.instancePath || 'body'}: ${first?.message ?? 'does not match the schema'}`);
  }
  return value;
}
