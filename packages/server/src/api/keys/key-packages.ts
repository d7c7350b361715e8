import { ClaimedKeyPackages, ClaimKeyPackages, KeyPackageStock, UploadKeyPackages } from '@signet/protocol';
import { defineRoute } from '../../http/route';

export const uploadKeyPackages = defineRoute({
  method: 'POST',
  url: '/v1/keys/packages',
  summary: 'Upload one-time MLS KeyPackages (and optionally the last-resort one); answers the stock',
  tags: ['keys'],
  auth: 'device',
  bodyLimit: () => 2 * 1024 * 1024,
  schema: { body: UploadKeyPackages, response: { 200: KeyPackageStock } },
  handler: ({ ctx, auth, body }) => ctx.messaging.keys.upload(auth, body),
});

export const keyPackageStock = defineRoute({
  method: 'GET',
  url: '/v1/keys/packages',
  summary: "This device's stock of KeyPackages; below lowWater, upload more",
  tags: ['keys'],
  auth: 'device',
  schema: { response: { 200: KeyPackageStock } },
  handler: ({ ctx, auth }) => ctx.messaging.keys.stock(auth.deviceId),
});

export const claimKeyPackages = defineRoute({
  method: 'POST',
  url: '/v1/keys/claim',
  summary: 'Claim one KeyPackage for each device of an identified account (each handed out once), with its credential',
  tags: ['keys'],
  auth: 'device',
  schema: { body: ClaimKeyPackages, response: { 200: ClaimedKeyPackages } },
  handler: ({ ctx, auth, body }) => ctx.messaging.keys.claim(auth, body.accountId),
});
