import { defineRoute, json } from '../../http/route';

export const health = defineRoute({
  method: 'GET',
  url: '/health',
  summary: 'Liveness, with a database round trip',
  auth: 'none',
  async handler({ ctx }) {
    await ctx.db.ping();
    return json({ status: 'ok', operatorId: ctx.config.operatorId });
  },
});
