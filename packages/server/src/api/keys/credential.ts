import { DeviceCredential, RequestCredential, ServerKeys } from '@signet/protocol';
import { defineRoute } from '../../http/route';

export const requestCredential = defineRoute({
  method: 'PUT',
  url: '/v1/keys/credential',
  summary: "Bind this device's MLS signature key to the identified account: the server signs a credential",
  tags: ['keys'],
  auth: 'device',
  schema: { body: RequestCredential, response: { 200: DeviceCredential } },
  handler: ({ ctx, auth, body }) => ctx.messaging.credentials.issue(auth, body.signatureKey),
});

export const serverKeys = defineRoute({
  method: 'GET',
  url: '/v1/keys/server',
  summary: "The server's credential-signing keys (current and retired), to check credentials with",
  tags: ['keys'],
  auth: 'none',
  schema: { response: { 200: ServerKeys } },
  handler: ({ ctx }) => ctx.messaging.credentials.publicKeys(),
});
