import { Conversation, ConversationList, ConversationParams, CreateConversation } from '@signet/protocol';
import { defineRoute } from '../../http/route';

export const createConversation = defineRoute({
  method: 'POST',
  url: '/v1/conversations',
  summary: 'Register a new MLS group (its id is the group id); the caller is its first member',
  tags: ['conversations'],
  auth: 'device',
  status: 201,
  schema: { body: CreateConversation, response: { 201: Conversation } },
  handler: ({ ctx, auth, body }) => ctx.messaging.conversations.create(auth, body),
});

export const listConversations = defineRoute({
  method: 'GET',
  url: '/v1/conversations',
  summary: "The caller's conversations with their members and epochs",
  tags: ['conversations'],
  auth: 'device',
  schema: { response: { 200: ConversationList } },
  handler: async ({ ctx, auth }) => ({ conversations: await ctx.messaging.conversations.list(auth) }),
});

export const getConversation = defineRoute({
  method: 'GET',
  url: '/v1/conversations/:conversationId',
  summary: 'One conversation',
  tags: ['conversations'],
  auth: 'device',
  schema: { params: ConversationParams, response: { 200: Conversation } },
  handler: ({ ctx, auth, params }) => ctx.messaging.conversations.get(auth, params.conversationId),
});
