import { BlockList, BlockParams } from '@signet/protocol';
import { defineRoute } from '../../http/route';

export const blockAccount = defineRoute({
  method: 'PUT',
  url: '/v1/blocks/:accountId',
  summary: 'Refuse messages from this account (private: they are not told)',
  tags: ['blocks'],
  auth: 'device',
  status: 204,
  schema: { params: BlockParams },
  handler: ({ ctx, auth, params }) => ctx.messaging.blocks.block(auth, params.accountId),
});

export const unblockAccount = defineRoute({
  method: 'DELETE',
  url: '/v1/blocks/:accountId',
  summary: 'Accept messages from this account again',
  tags: ['blocks'],
  auth: 'device',
  status: 204,
  schema: { params: BlockParams },
  handler: ({ ctx, auth, params }) => ctx.messaging.blocks.unblock(auth, params.accountId),
});

export const listBlocks = defineRoute({
  method: 'GET',
  url: '/v1/blocks',
  summary: 'The accounts this account refuses messages from',
  tags: ['blocks'],
  auth: 'device',
  schema: { response: { 200: BlockList } },
  handler: async ({ ctx, auth }) => ({ blocked: await ctx.messaging.blocks.list(auth) }),
});
