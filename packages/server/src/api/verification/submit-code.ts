import { SubmitCode, VerificationSession, VerificationSessionParams } from '@signet/protocol';
import { defineRoute } from '../../http/route';

export const submitCode = defineRoute({
  method: 'POST',
  url: '/v1/verification/sessions/:sessionId/verify',
  summary: 'Check the code from the SMS (5 wrong guesses end the session)',
  tags: ['registration'],
  auth: 'none',
  schema: { params: VerificationSessionParams, body: SubmitCode, response: { 200: VerificationSession } },
  handler: ({ ctx, params, body, address }) => ctx.verification.verify(params.sessionId, body.code, address),
});
