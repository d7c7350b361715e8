import {
  Channel,
  ChannelList,
  ChannelParams,
  ChannelSearchQuery,
  CreateChannel,
  FollowedChannelList,
  MarkChannelRead,
} from '@signet/protocol';
import { defineRoute } from '../../http/route';

export const createChannel = defineRoute({
  method: 'POST',
  url: '/v1/channels',
  summary: 'Create a public channel (not end-to-end encrypted); the caller owns and follows it',
  tags: ['channels'],
  auth: 'device',
  status: 201,
  schema: { body: CreateChannel, response: { 201: Channel } },
  handler: ({ ctx, auth, body }) => ctx.channels.directory.create(auth, body),
});

export const searchChannels = defineRoute({
  method: 'GET',
  url: '/v1/channels',
  summary: 'Find public channels by handle or name, most followed first',
  tags: ['channels'],
  auth: 'device',
  schema: { querystring: ChannelSearchQuery, response: { 200: ChannelList } },
  handler: async ({ ctx, auth, query }) => ({
    channels: await ctx.channels.directory.search(auth, query.q, query.limit),
  }),
});

export const followedChannels = defineRoute({
  method: 'GET',
  url: '/v1/channels/followed',
  summary: 'The public channels the caller follows, with unread counts',
  tags: ['channels'],
  auth: 'device',
  schema: { response: { 200: FollowedChannelList } },
  handler: async ({ ctx, auth }) => ({ channels: await ctx.channels.follows.followed(auth) }),
});

export const getChannel = defineRoute({
  method: 'GET',
  url: '/v1/channels/:channel',
  summary: 'One public channel, by id or @handle',
  tags: ['channels'],
  auth: 'device',
  schema: { params: ChannelParams, response: { 200: Channel } },
  handler: ({ ctx, auth, params }) => ctx.channels.directory.get(auth, params.channel),
});

export const followChannel = defineRoute({
  method: 'PUT',
  url: '/v1/channels/:channel/follow',
  summary: 'Follow a public channel: its posts are pushed live to online devices',
  tags: ['channels'],
  auth: 'device',
  status: 204,
  schema: { params: ChannelParams },
  handler: ({ ctx, auth, params }) => ctx.channels.follows.follow(auth, params.channel),
});

export const unfollowChannel = defineRoute({
  method: 'DELETE',
  url: '/v1/channels/:channel/follow',
  summary: 'Stop following a public channel',
  tags: ['channels'],
  auth: 'device',
  status: 204,
  schema: { params: ChannelParams },
  handler: ({ ctx, auth, params }) => ctx.channels.follows.unfollow(auth, params.channel),
});

export const markChannelRead = defineRoute({
  method: 'PUT',
  url: '/v1/channels/:channel/read',
  summary: "Move the caller's read cursor in a followed channel forward",
  tags: ['channels'],
  auth: 'device',
  status: 204,
  schema: { params: ChannelParams, body: MarkChannelRead },
  handler: ({ ctx, auth, params, body }) => ctx.channels.follows.markRead(auth, params.channel, body.upTo),
});
