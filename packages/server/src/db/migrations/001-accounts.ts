import type { SchemaMigration } from '@signet/common';
import { sql } from 'kysely';

export const m001Accounts: SchemaMigration = {
  name: '001-accounts',
  async up(db, t) {
    await db.schema
      .createTable('accounts')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('phone_number', 'text', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('user_code', 'text', (c) => c.notNull().unique())
      .addColumn('password_record', 'text')
      .addColumn('suspended_reason', 'text')
      .addColumn('created_at', t.bigint, (c) => c.notNull())
      .addColumn('last_active_at', t.bigint, (c) => c.notNull())
      .addColumn('retired_at', t.bigint)
      .execute();
    // At most one account that is not retired per number.
    await db.schema
      .createIndex('accounts_live_number')
      .on('accounts')
      .column('phone_number')
      .unique()
      .where(sql.ref('state'), '<>', 'retired')
      .execute();
    await db.schema.createIndex('accounts_number').on('accounts').column('phone_number').execute();

    await db.schema
      .createTable('devices')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('token_hash', 'text', (c) => c.notNull().unique())
      .addColumn('created_at', t.bigint, (c) => c.notNull())
      .addColumn('last_seen_at', t.bigint, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('devices_account').on('devices').column('account_id').execute();

    await db.schema
      .createTable('verification_sessions')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('phone_number', 'text', (c) => c.notNull())
      .addColumn('code_hash', 'text', (c) => c.notNull())
      .addColumn('code_expires_at', t.bigint, (c) => c.notNull())
      .addColumn('sends', 'integer', (c) => c.notNull())
      .addColumn('last_sent_at', t.bigint, (c) => c.notNull())
      .addColumn('attempts', 'integer', (c) => c.notNull())
      .addColumn('verified_at', t.bigint)
      .addColumn('consumed_at', t.bigint)
      .addColumn('created_at', t.bigint, (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('verification_sessions_created')
      .on('verification_sessions')
      .column('created_at')
      .execute();

    await db.schema
      .createTable('password_logins')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
      .addColumn('verification_session_id', 'text', (c) => c.notNull())
      .addColumn('server_state', 'text', (c) => c.notNull())
      .addColumn('expires_at', t.bigint, (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('password_failures')
      .addColumn('id', t.serial, (c) => c.primaryKey())
      .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
      .addColumn('at', t.bigint, (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('password_failures_account')
      .on('password_failures')
      .columns(['account_id', 'at'])
      .execute();

    await db.schema
      .createTable('server_keys')
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('value', 'text', (c) => c.notNull())
      .addColumn('created_at', t.bigint, (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('account_events')
      .addColumn('id', t.serial, (c) => c.primaryKey())
      .addColumn('account_id', 'text', (c) => c.notNull())
      .addColumn('type', 'text', (c) => c.notNull())
      .addColumn('at', t.bigint, (c) => c.notNull())
      .addColumn('address', 'text')
      .addColumn('detail', 'text')
      .execute();
    await db.schema.createIndex('account_events_account').on('account_events').columns(['account_id', 'at']).execute();
    await db.schema.createIndex('account_events_at').on('account_events').column('at').execute();
  },
};
