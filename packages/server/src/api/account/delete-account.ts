import { defineRoute } from '../../http/route';

export const deleteAccount = defineRoute({
  method: 'DELETE',
  url: '/v1/account',
  summary: "Delete the caller's account and its data",
  tags: ['account'],
  auth: 'device',
  status: 204,
  schema: {},
  handler: ({ ctx, auth, address }) => ctx.accounts.deleteAccount(auth, address),
});
