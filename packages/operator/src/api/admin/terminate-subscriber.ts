import { Type } from 'typebox';
import { jsonBody } from '../../http/json-body';
import { defineRoute, json } from '../../http/route';
import { noticeJson } from './views';

const TerminateBody = Type.Object(
  { reason: Type.Optional(Type.Union([Type.Literal('contract_terminated'), Type.Literal('number_reassigned')])) },
  { additionalProperties: false },
);

/** 4.4: the contract ends; every messenger where the number is registered gets a notice. */
export const terminateSubscriber = defineRoute({
  method: 'POST',
  url: '/admin/v1/subscribers/:phoneNumber/terminate',
  summary: "End a subscriber's contract",
  auth: 'admin',
  async handler({ ctx, params, req }) {
    const { reason } = jsonBody(req, TerminateBody);
    const { notices } = await ctx.subscribers.terminate(params.phoneNumber ?? '', reason);
    return json({ notices: notices.map(noticeJson) });
  },
});
