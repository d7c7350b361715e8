import { CreateRestrictionOrder, RestrictionOrder } from '@signet/protocol';
import { defineRoute } from '../../http/route';

export const createRestrictionOrder = defineRoute({
  method: 'POST',
  url: '/authority/v1/orders',
  summary:
    'Issue a restriction order with its legal basis: a channel post, a channel, an account’s sending or reach, or a public-content fingerprint (audited; takes effect at once)',
  tags: ['authority'],
  auth: 'authority:restriction',
  status: 201,
  schema: { body: CreateRestrictionOrder, response: { 201: RestrictionOrder } },
  handler: ({ ctx, auth, body }) => ctx.restrictions.issue(auth, body),
});
