import { ConversationParams, MessageAccepted, SendMessage } from '@signet/protocol';
import { defineRoute } from '../../http/route';

export const sendMessage = defineRoute({
  method: 'POST',
  url: '/v1/conversations/:conversationId/messages',
  summary:
    'Send an MLS message: acknowledged once durably stored; a commit must name the current epoch (409 if another won)',
  tags: ['conversations'],
  auth: 'device',
  bodyLimit: (ctx) => Math.ceil(ctx.config.messaging.maxMessageBytes * 3) + 16 * 1024,
  schema: { params: ConversationParams, body: SendMessage, response: { 200: MessageAccepted } },
  handler: ({ ctx, auth, params, body }) => ctx.messaging.delivery.send(auth, params.conversationId, body),
});
