import { AttachmentParams, AttachmentQuery, AttachmentStored } from '@signet/protocol';
import { ApiError } from '../../errors';
import { defineRoute } from '../../http/route';

export const uploadAttachment = defineRoute({
  method: 'POST',
  url: '/v1/attachments',
  summary: 'Upload an encrypted attachment (application/octet-stream) for a conversation',
  tags: ['attachments'],
  auth: 'device',
  status: 201,
  bodyLimit: (ctx) => ctx.config.messaging.attachmentMaxBytes,
  schema: { querystring: AttachmentQuery, response: { 201: AttachmentStored } },
  async handler({ ctx, auth, query, req }) {
    if (!Buffer.isBuffer(req.body)) {
      throw new ApiError(415, 'UNSUPPORTED_MEDIA_TYPE', 'send the encrypted bytes as application/octet-stream');
    }
    return ctx.messaging.attachments.upload(auth, query.conversationId, req.body);
  },
});

export const downloadAttachment = defineRoute({
  method: 'GET',
  url: '/v1/attachments/:attachmentId',
  summary: 'Download an encrypted attachment (members of its conversation only)',
  tags: ['attachments'],
  auth: 'device',
  schema: { params: AttachmentParams },
  async handler({ ctx, auth, params, reply }) {
    const { size, stream } = await ctx.messaging.attachments.download(auth, params.attachmentId);
    reply.header('content-length', String(size)).type('application/octet-stream');
    return stream;
  },
});
