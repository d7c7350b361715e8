import { IdentificationStatus } from '@signet/protocol';
import { defineRoute } from '../../http/route';

export const getIdentification = defineRoute({
  method: 'GET',
  url: '/v1/identification',
  summary: "The account's identification state, its deadline, the reason of a failure, and past attempts",
  tags: ['identification'],
  auth: 'device',
  schema: { response: { 200: IdentificationStatus } },
  handler: ({ ctx, auth }) => ctx.identification.manager.status(auth.accountId),
});
