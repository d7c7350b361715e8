import { defineRoute } from '../../http/route';

export const logout = defineRoute({
  method: 'DELETE',
  url: '/v1/session',
  summary: 'Log out: revoke the calling device',
  tags: ['devices'],
  auth: 'device',
  status: 204,
  schema: {},
  handler: ({ ctx, auth, address }) => ctx.accounts.revokeDevice(auth, auth.deviceId, address),
});
