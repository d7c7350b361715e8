import { IdentificationRequestItem, OpId, parseInstant } from '@signet/protocol';
import { Value } from 'typebox/value';
import { compareInstants } from '../time';

export type ItemCheck =
  | { ok: true; item: IdentificationRequestItem; requestedAtMs: number }
  | { ok: false; requestId: string | null; message: string };

/** Checks one request item (4.1); a malformed item is rejected alone, the rest of the batch goes on. */
export function checkItem(value: unknown): ItemCheck {
  const sent = (value as { requestId?: unknown } | null)?.requestId;
  const requestId = typeof sent === 'string' && Value.Check(OpId, sent) ? sent : null;
  const reject = (message: string): ItemCheck => ({ ok: false, requestId, message });
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return reject('an item must be an object');
  if (!Value.Check(IdentificationRequestItem, value)) {
    const first = Value.Errors(IdentificationRequestItem, value)[0];
    const where = first?.instancePath ? first.instancePath.slice(1) : 'item';
    return reject(`${where}: ${first?.message ?? 'does not match the schema'}`);
  }
  const requested = parseInstant(value.requestedAt);
  if (!requested) return reject('requestedAt: not an RFC 3339 instant');
  if (!parseInstant(value.possessionVerifiedAt)) return reject('possessionVerifiedAt: not an RFC 3339 instant');
  if ((compareInstants(value.possessionVerifiedAt, value.requestedAt) ?? 0) > 0) {
    return reject('possessionVerifiedAt: after requestedAt');
  }
  return { ok: true, item: value, requestedAtMs: requested.ms };
}
