import { defineRoute, json } from '../../http/route';
import { subscriberViewJson } from './views';

export const getSubscriber = defineRoute({
  method: 'GET',
  url: '/admin/v1/subscribers/:phoneNumber',
  summary: 'A subscriber with its registrations and termination notices',
  auth: 'admin',
  async handler({ ctx, params }) {
    return json(subscriberViewJson(await ctx.subscribers.get(params.phoneNumber ?? '')));
  },
});
