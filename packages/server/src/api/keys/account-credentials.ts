import { AccountCredentials, AccountCredentialsParams } from '@signet/protocol';
import { defineRoute } from '../../http/route';

export const accountCredentials = defineRoute({
  method: 'GET',
  url: '/v1/keys/credentials/:accountId',
  summary: "The server-signed credentials of an account's devices, to check the members of a group",
  tags: ['keys'],
  auth: 'device',
  schema: { params: AccountCredentialsParams, response: { 200: AccountCredentials } },
  handler: ({ ctx, params }) => ctx.messaging.credentials.listFor(params.accountId),
});
