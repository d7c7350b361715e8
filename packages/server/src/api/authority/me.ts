import { AuthorityIdentity } from '@signet/protocol';
import { defineRoute } from '../../http/route';

export const authorityMe = defineRoute({
  method: 'GET',
  url: '/authority/v1/me',
  summary: 'The authority that signed the request, and its roles (checks a key and a clock)',
  tags: ['authority'],
  auth: 'authority',
  schema: { response: { 200: AuthorityIdentity } },
  handler: async ({ auth }) => ({ authorityId: auth.authorityId, name: auth.name, roles: auth.roles }),
});
