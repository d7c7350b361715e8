import {
  ChannelParams,
  ChannelPost,
  ChannelPostPage,
  ChannelPostParams,
  ChannelPostsQuery,
  CreateChannelPost,
} from '@signet/protocol';
import { defineRoute } from '../../http/route';

export const createChannelPost = defineRoute({
  method: 'POST',
  url: '/v1/channels/:channel/posts',
  summary: 'Post to a public channel (its owner only); stored in the clear, pushed to online followers',
  tags: ['channels'],
  auth: 'device',
  status: 201,
  schema: { params: ChannelParams, body: CreateChannelPost, response: { 201: ChannelPost } },
  handler: ({ ctx, auth, params, body }) => ctx.channels.posts.post(auth, params.channel, body),
});

export const listChannelPosts = defineRoute({
  method: 'GET',
  url: '/v1/channels/:channel/posts',
  summary: 'Posts of a public channel: newest first (`before`) or oldest first (`after`)',
  tags: ['channels'],
  auth: 'device',
  schema: { params: ChannelParams, querystring: ChannelPostsQuery, response: { 200: ChannelPostPage } },
  handler: ({ ctx, auth, params, query }) => ctx.channels.posts.page(auth, params.channel, query),
});

export const deleteChannelPost = defineRoute({
  method: 'DELETE',
  url: '/v1/channels/:channel/posts/:postId',
  summary: "Delete a post of one's own channel",
  tags: ['channels'],
  auth: 'device',
  status: 204,
  schema: { params: ChannelPostParams },
  handler: ({ ctx, auth, params }) => ctx.channels.posts.delete(auth, params.channel, Number(params.postId)),
});
