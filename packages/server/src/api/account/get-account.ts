import { Account } from '@signet/protocol';
import { defineRoute } from '../../http/route';

export const getAccount = defineRoute({
  method: 'GET',
  url: '/v1/account',
  summary: "The caller's account",
  tags: ['account'],
  auth: 'device',
  schema: { response: { 200: Account } },
  handler: ({ ctx, auth }) => ctx.accounts.get(auth.accountId),
});
