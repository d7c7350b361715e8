import { RestrictionOrderParams, RestrictionOrderWithTrail } from '@signet/protocol';
import { defineRoute } from '../../http/route';

export const getRestrictionOrder = defineRoute({
  method: 'GET',
  url: '/authority/v1/orders/:orderId',
  summary: 'One of your restriction orders with its audit trail (issued, applied, revoked or expired)',
  tags: ['authority'],
  auth: 'authority:restriction',
  schema: { params: RestrictionOrderParams, response: { 200: RestrictionOrderWithTrail } },
  handler: ({ ctx, auth, params }) => ctx.restrictions.get(auth, params.orderId),
});
