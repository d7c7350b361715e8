import { IdentificationStatus, Reidentify } from '@signet/protocol';
import { defineRoute } from '../../http/route';

export const reidentify = defineRoute({
  method: 'POST',
  url: '/v1/identification/retry',
  summary:
    'Ask the operator again after a failure, or re-identify after a suspension: needs a fresh SMS code (and the password if set, when suspended)',
  tags: ['identification'],
  auth: 'device',
  schema: { body: Reidentify, response: { 200: IdentificationStatus } },
  async handler({ ctx, auth, body, address }) {
    await ctx.accounts.reidentify(auth, body, address);
    return ctx.identification.manager.status(auth.accountId);
  },
});
