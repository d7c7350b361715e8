import type { Database } from '@signet/common';
import type { OperatorSchema } from './schema';

export { migrations } from './migrations';
export type { OperatorSchema } from './schema';
export type OperatorDatabase = Database<OperatorSchema>;
