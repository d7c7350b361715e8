import type { SchemaMigration } from '@signet/common';
import { m001Accounts } from './001-accounts';
import { m002Identification } from './002-identification';
import { m003Messaging } from './003-messaging';

/** Every migration, in the order it applies. Append only. */
export const migrations: readonly SchemaMigration[] = [m001Accounts, m002Identification, m003Messaging];
