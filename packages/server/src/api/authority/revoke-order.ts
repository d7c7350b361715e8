import { RestrictionOrder, RestrictionOrderParams, RevokeRestrictionOrder } from '@signet/protocol';
import { defineRoute } from '../../http/route';

export const revokeRestrictionOrder = defineRoute({
  method: 'POST',
  url: '/authority/v1/orders/:orderId/revoke',
  summary: 'Revoke one of your active restriction orders, with a reason: what it restricted is restored (audited)',
  tags: ['authority'],
  auth: 'authority:restriction',
  schema: { params: RestrictionOrderParams, body: RevokeRestrictionOrder, response: { 200: RestrictionOrder } },
  handler: ({ ctx, auth, params, body }) => ctx.restrictions.revoke(auth, params.orderId, body.reason),
});
