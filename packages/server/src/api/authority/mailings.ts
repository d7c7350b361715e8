import { CreateMailing, Mailing, MailingList, MailingListQuery, MailingParams, MailingSent } from '@signet/protocol';
import { defineRoute } from '../../http/route';

export const sendMailing = defineRoute({
  method: 'POST',
  url: '/authority/v1/mailings',
  summary: 'Send an official notice, signed with the authority key, to all identified users or to number prefixes',
  tags: ['authority'],
  auth: 'authority:mailing',
  status: 201,
  schema: { body: CreateMailing, response: { 201: MailingSent } },
  handler: ({ ctx, auth, body }) => ctx.mailings.mailings.send(auth, body),
});

export const listMailings = defineRoute({
  method: 'GET',
  url: '/authority/v1/mailings',
  summary: "The authority's mailings, newest first, with delivery and read counts",
  tags: ['authority'],
  auth: 'authority:mailing',
  schema: { querystring: MailingListQuery, response: { 200: MailingList } },
  handler: ({ ctx, auth, query }) => ctx.mailings.mailings.list(auth, query.before, query.limit),
});

export const getMailing = defineRoute({
  method: 'GET',
  url: '/authority/v1/mailings/:mailingId',
  summary: 'One of the authority’s mailings with its delivery and read counts',
  tags: ['authority'],
  auth: 'authority:mailing',
  schema: { params: MailingParams, response: { 200: Mailing } },
  handler: ({ ctx, auth, params }) => ctx.mailings.mailings.get(auth, params.mailingId),
});

export const withdrawMailing = defineRoute({
  method: 'DELETE',
  url: '/authority/v1/mailings/:mailingId',
  summary: 'Withdraw a mailing: it leaves every account’s notices (audited; the record stays)',
  tags: ['authority'],
  auth: 'authority:mailing',
  schema: { params: MailingParams, response: { 200: Mailing } },
  handler: ({ ctx, auth, params }) => ctx.mailings.mailings.withdraw(auth, params.mailingId),
});
