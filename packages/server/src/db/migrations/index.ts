import type { SchemaMigration } from '@signet/common';
import { m001Accounts } from './001-accounts';
import { m002Identification } from './002-identification';
import { m003Messaging } from './003-messaging';
import { m004DeliveryOrder } from './004-delivery-order';
import { m005Authorities } from './005-authorities';
import { m006Channels } from './006-channels';
import { m007Mailings } from './007-mailings';
import { m008Restrictions } from './008-restrictions';

/** Every migration, in the order it applies. Append only. */
export const migrations: readonly SchemaMigration[] = [
  m001Accounts,
  m002Identification,
  m003Messaging,
  m004DeliveryOrder,
  m005Authorities,
  m006Channels,
  m007Mailings,
  m008Restrictions,
];
