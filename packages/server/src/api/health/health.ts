import { Health } from '@signet/protocol';
import { defineRoute } from '../../http/route';
import { VERSION } from '../../http/version';

export const health = defineRoute({
  method: 'GET',
  url: '/health',
  summary: 'Liveness and database reachability',
  tags: ['service'],
  auth: 'none',
  schema: { response: { 200: Health } },
  async handler({ ctx }) {
    await ctx.db.ping();
    return { status: 'ok' as const, version: VERSION };
  },
});
