import type { SchemaMigration } from '@signet/common';
import { m001Accounts } from './001-accounts';

/** Every migration, in the order it applies. Append only. */
export const migrations: readonly SchemaMigration[] = [m001Accounts];
