import { DevSmsList, DevSmsQuery } from '@signet/protocol';
import { notFound } from '../../errors';
import { defineRoute } from '../../http/route';

export const listSms = defineRoute({
  method: 'GET',
  url: '/v1/dev/sms',
  summary: 'Development only: the messages the SMS sink received, newest first',
  tags: ['development'],
  auth: 'development',
  schema: { querystring: DevSmsQuery, response: { 200: DevSmsList } },
  async handler({ ctx, query, address }) {
    const sink = ctx.devSms;
    if (!sink) throw notFound('the SMS provider is not the development sink');
    ctx.limiters.get('dev-sms').consume(address);
    return { messages: sink.list(query.phoneNumber).slice(0, 100) };
  },
});
