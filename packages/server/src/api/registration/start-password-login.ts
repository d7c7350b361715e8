import { PasswordLoginStarted, StartPasswordLogin } from '@signet/protocol';
import { defineRoute } from '../../http/route';

export const startPasswordLogin = defineRoute({
  method: 'POST',
  url: '/v1/registration/password-login',
  summary: "First OPAQUE step of proving the number's registration-lock password",
  tags: ['registration'],
  auth: 'none',
  schema: { body: StartPasswordLogin, response: { 200: PasswordLoginStarted } },
  handler: ({ ctx, body, address }) =>
    ctx.accounts.startPasswordLogin(body.verificationSessionId, body.startLoginRequest, address),
});
