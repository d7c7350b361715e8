import { CreateVerificationSession, VerificationSession } from '@signet/protocol';
import { defineRoute } from '../../http/route';

export const createSession = defineRoute({
  method: 'POST',
  url: '/v1/verification/sessions',
  summary: 'Start proving possession of a number: sends a 6-digit code by SMS',
  tags: ['registration'],
  auth: 'none',
  status: 201,
  schema: { body: CreateVerificationSession, response: { 201: VerificationSession } },
  handler: ({ ctx, body, address }) => ctx.verification.start(body.phoneNumber, address),
});
