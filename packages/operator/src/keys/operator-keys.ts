import { randomBytes } from 'node:crypto';
import type { Clock } from '@signet/common';
import type { OperatorDatabase } from '../db';

/**
 * The key that authenticates reconciliation cursors, made on first start and kept in the database so that
 * cursors survive restarts and work on every node.
 */
export async function loadCursorKey(db: OperatorDatabase, clock: Clock): Promise<Buffer> {
  await db.db
    .insertInto('operator_keys')
    .values({ name: 'cursor', value: randomBytes(32).toString('base64'), created_at: clock.now() })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
  const row = await db.db
    .selectFrom('operator_keys')
    .select('value')
    .where('name', '=', 'cursor')
    .executeTakeFirstOrThrow();
  return Buffer.from(row.value, 'base64');
}
