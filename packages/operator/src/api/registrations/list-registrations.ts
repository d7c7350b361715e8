import { MAX_BATCH } from '@signet/protocol';
import { invalidArgument } from '../../errors';
import { defineRoute, json } from '../../http/route';
import { decodeCursor } from '../../registrations/cursor';
import { DEFAULT_PAGE, registrationPage } from '../../registrations/registration-listing';
import { instantCeilMs } from '../../time';

/** 4.5: a messenger reconciles its records with the operator's, page by page. */
export const listRegistrations = defineRoute({
  method: 'GET',
  url: '/v1/registrations',
  summary: "The signing messenger's confirmed registrations, by changedAt then userCode",
  auth: 'signed-query',
  async handler({ ctx, auth }) {
    const query = new URLSearchParams(auth.target.split('?')[1] ?? '');
    const messengerId = auth.messenger.messengerId;
    const since = single(query, 'changedSince');
    const limit = single(query, 'limit');
    const cursor = single(query, 'cursor');

    // Inclusive over millisecond columns: a bound with finer digits starts at the next whole millisecond.
    const sinceMs = since === undefined ? Number.MIN_SAFE_INTEGER : instantCeilMs(since);
    if (sinceMs === undefined) throw invalidArgument('changedSince: expected an RFC 3339 instant');
    if (limit !== undefined && !(/^\d{1,4}$/.test(limit) && Number(limit) >= 1 && Number(limit) <= MAX_BATCH)) {
      throw invalidArgument(`limit: expected a whole number from 1 to ${MAX_BATCH}`);
    }
    const after = cursor === undefined ? undefined : decodeCursor(ctx.cursorKey, messengerId, cursor);
    if (cursor !== undefined && !after) throw invalidArgument('cursor: not a cursor this operator issued to you');

    const page = await registrationPage(ctx.db, ctx.cursorKey, messengerId, {
      sinceMs,
      after,
      limit: limit === undefined ? DEFAULT_PAGE : Number(limit),
    });
    return json(page);
  },
});

/** A parameter given at most once; twice is ambiguous, so it is refused. */
function single(query: URLSearchParams, name: string): string | undefined {
  const all = query.getAll(name);
  if (all.length > 1) throw invalidArgument(`${name}: given more than once`);
  return all[0];
}
