import { AccountRestrictionList } from '@signet/protocol';
import { defineRoute } from '../../http/route';

export const accountRestrictions = defineRoute({
  method: 'GET',
  url: '/v1/account/restrictions',
  summary:
    'The restriction orders the caller’s account was told of (what was restricted, the legal basis, the expiry), newest first, with their status',
  tags: ['account'],
  auth: 'device',
  schema: { response: { 200: AccountRestrictionList } },
  handler: ({ ctx, auth }) => ctx.restrictions.noticesFor(auth.accountId),
});
