import { Type } from 'typebox';
import { jsonBody } from '../../http/json-body';
import { defineRoute, json } from '../../http/route';
import { subscriberViewJson } from './views';

const AddSubscriberBody = Type.Object(
  {
    phoneNumber: Type.String(),
    identityComplete: Type.Optional(Type.Boolean()),
    reassign: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

export const addSubscriber = defineRoute({
  method: 'POST',
  url: '/admin/v1/subscribers',
  summary: 'Add a subscriber (or give a number a new contract)',
  auth: 'admin',
  async handler({ ctx, req }) {
    const body = jsonBody(req, AddSubscriberBody);
    const { outcome, notices } = await ctx.subscribers.add(body);
    const view = await ctx.subscribers.get(body.phoneNumber);
    return json({ outcome, noticesQueued: notices.length, subscriber: subscriberViewJson(view) }, 201);
  },
});
