import { defineRoute, json } from '../../http/route';
import { noticeJson } from './views';

/** 4.4 with reason ported_out: the number moved to another operator. */
export const portOutSubscriber = defineRoute({
  method: 'POST',
  url: '/admin/v1/subscribers/:phoneNumber/port-out',
  summary: 'Record that a number was ported to another operator',
  auth: 'admin',
  async handler({ ctx, params }) {
    const { notices } = await ctx.subscribers.portOut(params.phoneNumber ?? '');
    return json({ notices: notices.map(noticeJson) });
  },
});
