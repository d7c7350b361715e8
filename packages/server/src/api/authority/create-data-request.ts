import { CreateDataRequest, DataRequestAnswer } from '@signet/protocol';
import { defineRoute } from '../../http/route';

export const createDataRequest = defineRoute({
  method: 'POST',
  url: '/authority/v1/data-requests',
  summary: 'Ask, with a legal basis, for the identification record of a number or an account (audited)',
  tags: ['authority'],
  auth: 'authority:data-request',
  schema: { body: CreateDataRequest, response: { 200: DataRequestAnswer } },
  handler: ({ ctx, auth, body }) => ctx.authority.dataRequests.answer(auth, body),
});
