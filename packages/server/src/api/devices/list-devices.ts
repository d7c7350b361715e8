import { DeviceList } from '@signet/protocol';
import { defineRoute } from '../../http/route';

export const listDevices = defineRoute({
  method: 'GET',
  url: '/v1/devices',
  summary: "The account's devices, each with its session",
  tags: ['devices'],
  auth: 'device',
  schema: { response: { 200: DeviceList } },
  handler: async ({ ctx, auth }) => ({ devices: await ctx.accounts.devices(auth) }),
});
