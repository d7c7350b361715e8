import {
  MarkNoticesRead,
  MuteNotices,
  NoticeAuthority,
  NoticeAuthorityParams,
  NoticeListQuery,
  NoticePage,
  NoticeState,
} from '@signet/protocol';
import { defineRoute } from '../../http/route';

export const listNotices = defineRoute({
  method: 'GET',
  url: '/v1/notices',
  summary: 'The official notices for this account, oldest first after the cursor, each signed by its authority',
  tags: ['notices'],
  auth: 'device',
  schema: { querystring: NoticeListQuery, response: { 200: NoticePage } },
  handler: ({ ctx, auth, query }) => ctx.mailings.feed.page(auth, query.after, query.limit),
});

export const noticeState = defineRoute({
  method: 'GET',
  url: '/v1/notices/state',
  summary: "The account's notice state: delivered and read cursors, muted, unread count",
  tags: ['notices'],
  auth: 'device',
  schema: { response: { 200: NoticeState } },
  handler: ({ ctx, auth }) => ctx.mailings.feed.state(auth),
});

export const markNoticesRead = defineRoute({
  method: 'PUT',
  url: '/v1/notices/read',
  summary: 'Mark every official notice up to this id read',
  tags: ['notices'],
  auth: 'device',
  status: 204,
  schema: { body: MarkNoticesRead },
  handler: ({ ctx, auth, body }) => ctx.mailings.feed.markRead(auth, body.upTo),
});

export const muteNotices = defineRoute({
  method: 'PUT',
  url: '/v1/notices/mute',
  summary: 'Mute or unmute the official notices (they still arrive; they cannot be blocked)',
  tags: ['notices'],
  auth: 'device',
  status: 204,
  schema: { body: MuteNotices },
  handler: ({ ctx, auth, body }) => ctx.mailings.feed.mute(auth, body.muted),
});

export const noticeAuthority = defineRoute({
  method: 'GET',
  url: '/v1/notices/authorities/:authorityId',
  summary: 'An authority that sends notices: its name and public key, to check signatures',
  tags: ['notices'],
  auth: 'device',
  schema: { params: NoticeAuthorityParams, response: { 200: NoticeAuthority } },
  handler: ({ ctx, params }) => ctx.mailings.feed.authority(params.authorityId),
});
