import type { Kysely, Selectable } from 'kysely';
import type { Schema } from '../db';
import type { AccountsTable } from '../db/schema/accounts';
import type { DevicesTable } from '../db/schema/devices';
import { leaveConversations } from '../messaging/removals';

export type AccountRow = Selectable<AccountsTable>;
export type DeviceRow = Selectable<DevicesTable>;

export async function insertAccount(db: Kysely<Schema>, row: AccountRow): Promise<void> {
  await db.insertInto('accounts').values(row).execute();
}

export async function getAccount(db: Kysely<Schema>, id: string): Promise<AccountRow | undefined> {
  return db.selectFrom('accounts').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The number's account that is not retired, if any. */
export async function getLiveAccountByNumber(db: Kysely<Schema>, phone: string): Promise<AccountRow | undefined> {
  return db
    .selectFrom('accounts')
    .selectAll()
    .where('phone_number', '=', phone)
    .where('state', '<>', 'retired')
    .executeTakeFirst();
}

export async function retireAccount(db: Kysely<Schema>, id: string, now: number): Promise<void> {
  await db.updateTable('accounts').set({ state: 'retired', retired_at: now }).where('id', '=', id).execute();
  await leaveConversations(db, id, now);
  await deleteInboxes(db, await deviceIdsOf(db, id));
  await db.deleteFrom('devices').where('account_id', '=', id).execute();
}

export async function deleteAccount(db: Kysely<Schema>, id: string): Promise<void> {
  await deleteInboxes(db, await deviceIdsOf(db, id));
  await db.deleteFrom('accounts').where('id', '=', id).execute();
}

async function deviceIdsOf(db: Kysely<Schema>, accountId: string): Promise<string[]> {
  const rows = await db.selectFrom('devices').select('id').where('account_id', '=', accountId).execute();
  return rows.map((r) => r.id);
}

/** What waits for devices that are going away: nobody will ever read it. */
async function deleteInboxes(db: Kysely<Schema>, deviceIds: string[]): Promise<void> {
  if (deviceIds.length === 0) return;
  await db.deleteFrom('inbox').where('device_id', 'in', deviceIds).execute();
  await db.deleteFrom('inbox_heads').where('device_id', 'in', deviceIds).execute();
}

export async function setPasswordRecord(db: Kysely<Schema>, id: string, record: string | null): Promise<void> {
  await db.updateTable('accounts').set({ password_record: record }).where('id', '=', id).execute();
}

export async function touchAccount(db: Kysely<Schema>, id: string, now: number): Promise<void> {
  await db.updateTable('accounts').set({ last_active_at: now }).where('id', '=', id).execute();
}

export async function setPossessionVerified(db: Kysely<Schema>, id: string, at: number): Promise<void> {
  await db.updateTable('accounts').set({ possession_verified_at: at }).where('id', '=', id).execute();
}

export async function insertDevice(db: Kysely<Schema>, row: DeviceRow): Promise<void> {
  await db.insertInto('devices').values(row).execute();
}

export async function listDevices(db: Kysely<Schema>, accountId: string): Promise<DeviceRow[]> {
  return db.selectFrom('devices').selectAll().where('account_id', '=', accountId).orderBy('created_at').execute();
}

export async function deleteDevice(db: Kysely<Schema>, accountId: string, deviceId: string): Promise<boolean> {
  const result = await db
    .deleteFrom('devices')
    .where('id', '=', deviceId)
    .where('account_id', '=', accountId)
    .executeTakeFirst();
  if (result.numDeletedRows === 0n) return false;
  await deleteInboxes(db, [deviceId]);
  return true;
}

export interface SessionRow {
  device_id: string;
  account_id: string;
  device_last_seen_at: number;
  state: AccountRow['state'];
}

export async function findSessionByTokenHash(db: Kysely<Schema>, hash: string): Promise<SessionRow | undefined> {
  return db
    .selectFrom('devices')
    .innerJoin('accounts', 'accounts.id', 'devices.account_id')
    .select([
      'devices.id as device_id',
      'devices.account_id as account_id',
      'devices.last_seen_at as device_last_seen_at',
      'accounts.state as state',
    ])
    .where('devices.token_hash', '=', hash)
    .executeTakeFirst();
}

export async function touchDevice(db: Kysely<Schema>, deviceId: string, accountId: string, now: number): Promise<void> {
  await db.updateTable('devices').set({ last_seen_at: now }).where('id', '=', deviceId).execute();
  await touchAccount(db, accountId, now);
}

export interface AccountEventInput {
  account_id: string;
  type: string;
  at: number;
  address?: string | null;
  detail?: Record<string, unknown>;
}

export async function recordAccountEvent(db: Kysely<Schema>, event: AccountEventInput): Promise<void> {
  await recordAccountEvents(db, [event]);
}

/** Many events in few statements (5 parameters a row: 1000 rows stay below either dialect's limit). */
export async function recordAccountEvents(db: Kysely<Schema>, events: readonly AccountEventInput[]): Promise<void> {
  for (let i = 0; i < events.length; i += 1000) {
    await db
      .insertInto('account_events')
      .values(
        events.slice(i, i + 1000).map((e) => ({
          account_id: e.account_id,
          type: e.type,
          at: e.at,
          address: e.address ?? null,
          detail: e.detail ? JSON.stringify(e.detail) : null,
        })),
      )
      .execute();
  }
}
