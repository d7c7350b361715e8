import type { PendingResult } from '@signet/protocol';
import { notFound } from '../../errors';
import { defineRoute, json } from '../../http/route';
import { getRequest } from '../../identification/request-store';
import { toResult } from '../../outbox/composer';

/** 4.2: a messenger whose events endpoint was unreachable polls for a result. */
export const getIdentification = defineRoute({
  method: 'GET',
  url: '/v1/identifications/:requestId',
  summary: 'The result of one identification request, or pending',
  auth: 'signed-query',
  async handler({ ctx, auth, params }) {
    const requestId = params.requestId ?? '';
    const row = await getRequest(ctx.db.db, auth.messenger.messengerId, requestId);
    if (!row) throw notFound(`no request ${requestId} from this messenger`);
    if (row.decided_at === null) return json({ requestId, status: 'pending' } satisfies PendingResult);
    return json(toResult(row));
  },
});
