import type { Kysely } from 'kysely';
import type { Schema } from '../db';
import type { DataRequestsTable } from '../db/schema/authorities';

/** The accounts a number has had: live, retired, and deleted ones whose identification requests remain. */
export async function accountIdsOfNumber(db: Kysely<Schema>, phoneNumber: string): Promise<string[]> {
  const live = await db.selectFrom('accounts').select('id').where('phone_number', '=', phoneNumber).execute();
  const asked = await db
    .selectFrom('identification_requests')
    .select('account_id')
    .distinct()
    .where('phone_number', '=', phoneNumber)
    .execute();
  return [...new Set([...live.map((r) => r.id), ...asked.map((r) => r.account_id)])].sort();
}

export async function identificationsOf(db: Kysely<Schema>, accountId: string) {
  return db
    .selectFrom('identification_requests')
    .select([
      'request_id',
      'reason',
      'operator_id',
      'phone_number',
      'user_code',
      'status',
      'failure',
      'possession_verified_at',
      'requested_at',
      'decided_at',
    ])
    .where('account_id', '=', accountId)
    .orderBy('requested_at')
    .orderBy('request_id')
    .execute();
}

export async function eventsOf(db: Kysely<Schema>, accountId: string) {
  return db
    .selectFrom('account_events')
    .select(['type', 'at', 'address', 'detail'])
    .where('account_id', '=', accountId)
    .orderBy('at')
    .orderBy('id')
    .execute();
}

export async function insertDataRequest(db: Kysely<Schema>, row: DataRequestsTable): Promise<void> {
  await db.insertInto('data_requests').values(row).execute();
}
