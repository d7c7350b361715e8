import { VerificationSession, VerificationSessionParams } from '@signet/protocol';
import { defineRoute } from '../../http/route';

export const getSession = defineRoute({
  method: 'GET',
  url: '/v1/verification/sessions/:sessionId',
  summary: 'State of a verification session',
  tags: ['registration'],
  auth: 'none',
  schema: { params: VerificationSessionParams, response: { 200: VerificationSession } },
  handler: ({ ctx, params }) => ctx.verification.get(params.sessionId),
});
