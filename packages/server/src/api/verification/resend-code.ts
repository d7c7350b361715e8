import { VerificationSession, VerificationSessionParams } from '@signet/protocol';
import { defineRoute } from '../../http/route';

export const resendCode = defineRoute({
  method: 'POST',
  url: '/v1/verification/sessions/:sessionId/resend',
  summary: 'Send a new code (after 1, 2, 5, then 10 minutes; at most 5 codes a session)',
  tags: ['registration'],
  auth: 'none',
  schema: { params: VerificationSessionParams, response: { 200: VerificationSession } },
  handler: ({ ctx, params, address }) => ctx.verification.resend(params.sessionId, address),
});
