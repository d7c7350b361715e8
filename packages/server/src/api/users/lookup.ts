import { LookupResult, LookupUser } from '@signet/protocol';
import { defineRoute } from '../../http/route';
import { normalisePhone } from '../../verification/phone';

export const lookupUser = defineRoute({
  method: 'POST',
  url: '/v1/users/lookup',
  summary: 'Whether an identified account holds this number (rate-limited against enumeration)',
  tags: ['users'],
  auth: 'device',
  schema: { body: LookupUser, response: { 200: LookupResult } },
  async handler({ ctx, auth, body, address }) {
    ctx.limiters.get('lookup-account').consume(auth.accountId);
    ctx.limiters.get('lookup-address').consume(address);
    const { e164 } = normalisePhone(body.phoneNumber, {
      ...ctx.config.phone,
      allowedCountries: [],
      allowedPrefixes: [],
    });
    const row = await ctx.db.db
      .selectFrom('accounts')
      .select('id')
      .where('phone_number', '=', e164)
      .where('state', '=', 'identified')
      .executeTakeFirst();
    return { phoneNumber: e164, exists: row !== undefined, accountId: row?.id ?? null };
  },
});
