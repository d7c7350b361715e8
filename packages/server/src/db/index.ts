import type { Database } from '@signet/common';
import type { Schema } from './schema';

export { migrations } from './migrations';
export type { Schema } from './schema';
export type ServerDatabase = Database<Schema>;
