import { Register, Registered } from '@signet/protocol';
import { defineRoute } from '../../http/route';

export const register = defineRoute({
  method: 'POST',
  url: '/v1/registration',
  summary: 'Create the account (or add a device to it) with a verified number; returns the session token',
  tags: ['registration'],
  auth: 'none',
  schema: { body: Register, response: { 200: Registered } },
  async handler({ ctx, body, address }) {
    const result = await ctx.accounts.register(body, address);
    ctx.metrics.registrations.inc({ outcome: result.outcome });
    return result;
  },
});
