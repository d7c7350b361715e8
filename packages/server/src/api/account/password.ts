import { FinishPasswordSetup, PasswordSetupStarted, StartPasswordSetup } from '@signet/protocol';
import { defineRoute } from '../../http/route';

export const startPasswordSetup = defineRoute({
  method: 'POST',
  url: '/v1/account/password/setup',
  summary: 'First OPAQUE step of setting or changing the registration-lock password',
  tags: ['account'],
  auth: 'device',
  schema: { body: StartPasswordSetup, response: { 200: PasswordSetupStarted } },
  handler: async ({ ctx, auth, body }) => ({
    registrationResponse: ctx.accounts.startPasswordSetup(auth, body.registrationRequest),
  }),
});

export const finishPasswordSetup = defineRoute({
  method: 'PUT',
  url: '/v1/account/password',
  summary: 'Store the OPAQUE record of the new password (the server never sees the password)',
  tags: ['account'],
  auth: 'device',
  status: 204,
  schema: { body: FinishPasswordSetup },
  handler: ({ ctx, auth, body }) => ctx.accounts.setPassword(auth, body.registrationRecord),
});

export const removePassword = defineRoute({
  method: 'DELETE',
  url: '/v1/account/password',
  summary: 'Remove the registration-lock password',
  tags: ['account'],
  auth: 'device',
  status: 204,
  schema: {},
  handler: ({ ctx, auth }) => ctx.accounts.setPassword(auth, null),
});
