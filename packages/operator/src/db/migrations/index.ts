import type { SchemaMigration } from '@signet/common';
import { m001Operator } from './001-operator';

/** Every migration, in the order it applies. Append only. */
export const migrations: readonly SchemaMigration[] = [m001Operator];
