import { RestrictionOrderList, RestrictionOrdersQuery } from '@signet/protocol';
import { defineRoute } from '../../http/route';

export const listRestrictionOrders = defineRoute({
  method: 'GET',
  url: '/authority/v1/orders',
  summary: 'Your restriction orders, newest first, optionally of one status',
  tags: ['authority'],
  auth: 'authority:restriction',
  schema: { querystring: RestrictionOrdersQuery, response: { 200: RestrictionOrderList } },
  handler: ({ ctx, auth, query }) => ctx.restrictions.list(auth, query),
});
