import { DeviceParams } from '@signet/protocol';
import { defineRoute } from '../../http/route';

export const revokeDevice = defineRoute({
  method: 'DELETE',
  url: '/v1/devices/:deviceId',
  summary: 'Revoke a device and end its session',
  tags: ['devices'],
  auth: 'device',
  status: 204,
  schema: { params: DeviceParams },
  handler: ({ ctx, auth, params, address }) => ctx.accounts.revokeDevice(auth, params.deviceId, address),
});
