import { LookupResult, LookupUser } from '@signet/protocol';
import { defineRoute } from '../../http/route';
import { normalisePhone } from '../../verification/phone';

export const lookupUser = defineRoute({
  method: 'POST',
  url: '/v1/users/lookup',
  summary:
    'Whether an identified account holds this number (rate-limited against enumeration); an account whose reach an order limits is not found',
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
    // An order limiting the account's reach: it is not found, as if no identified account held the number.
    const found = row !== undefined && !(await ctx.restrictions.isReachLimited(row.id));
    return { phoneNumber: e164, exists: found, accountId: found ? row.id : null };
  },
});
