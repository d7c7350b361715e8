import type { SchemaMigration } from '@signet/common';

export const m003Messaging: SchemaMigration = {
  name: '003-messaging',
  async up(db, t) {
    await db.schema
      .createTable('device_credentials')
      .addColumn('device_id', 'text', (c) => c.primaryKey().references('devices.id').onDelete('cascade'))
      .addColumn('account_id', 'text', (c) => c.notNull())
      .addColumn('signature_key', 'text', (c) => c.notNull())
      .addColumn('key_id', 'text', (c) => c.notNull())
      .addColumn('signature', 'text', (c) => c.notNull())
      .addColumn('issued_at', t.bigint, (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('key_packages')
      .addColumn('id', t.serial, (c) => c.primaryKey())
      .addColumn('device_id', 'text', (c) => c.notNull().references('devices.id').onDelete('cascade'))
      .addColumn('key_package', 'text', (c) => c.notNull())
      .addColumn('last_resort', 'integer', (c) => c.notNull())
      .addColumn('created_at', t.bigint, (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('key_packages_device')
      .on('key_packages')
      .columns(['device_id', 'last_resort', 'id'])
      .execute();

    await db.schema
      .createTable('conversations')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('epoch', 'integer', (c) => c.notNull())
      .addColumn('created_by', 'text', (c) => c.notNull())
      .addColumn('created_at', t.bigint, (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('conversation_members')
      .addColumn('conversation_id', 'text', (c) => c.notNull().references('conversations.id').onDelete('cascade'))
      .addColumn('account_id', 'text', (c) => c.notNull())
      .addColumn('joined_at', t.bigint, (c) => c.notNull())
      .addPrimaryKeyConstraint('conversation_members_pk', ['conversation_id', 'account_id'])
      .execute();
    await db.schema
      .createIndex('conversation_members_account')
      .on('conversation_members')
      .column('account_id')
      .execute();

    // A message is stored once; each recipient device's inbox points at it.
    await db.schema
      .createTable('messages')
      .addColumn('id', t.serial, (c) => c.primaryKey())
      .addColumn('conversation_id', 'text', (c) => c.notNull())
      .addColumn('sender_account_id', 'text')
      .addColumn('sender_device_id', 'text')
      .addColumn('client_message_id', 'text')
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('epoch', 'integer', (c) => c.notNull())
      .addColumn('payload', 'text', (c) => c.notNull())
      .addColumn('created_at', t.bigint, (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('messages_client_id')
      .on('messages')
      .columns(['sender_device_id', 'client_message_id'])
      .unique()
      .execute();
    await db.schema.createIndex('messages_created').on('messages').column('created_at').execute();

    // Sequence numbers must never be reused: SQLite gives a deleted (acknowledged) highest rowid out
    // again unless the key is AUTOINCREMENT, and a device would then see a seq it has already passed.
    const sqlite = t.serial === 'integer';
    await db.schema
      .createTable('inbox')
      .addColumn('seq', t.serial, (c) => (sqlite ? c.primaryKey().autoIncrement() : c.primaryKey()))
      .addColumn('device_id', 'text', (c) => c.notNull())
      .addColumn('account_id', 'text', (c) => c.notNull())
      .addColumn('message_id', t.bigint, (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('expires_at', t.bigint, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('inbox_device_seq').on('inbox').columns(['device_id', 'seq']).execute();
    await db.schema.createIndex('inbox_message').on('inbox').column('message_id').execute();
    await db.schema.createIndex('inbox_expires').on('inbox').column('expires_at').execute();

    await db.schema
      .createTable('blocks')
      .addColumn('blocker_id', 'text', (c) => c.notNull())
      .addColumn('blocked_id', 'text', (c) => c.notNull())
      .addColumn('created_at', t.bigint, (c) => c.notNull())
      .addPrimaryKeyConstraint('blocks_pk', ['blocker_id', 'blocked_id'])
      .execute();
    await db.schema.createIndex('blocks_blocked').on('blocks').column('blocked_id').execute();

    await db.schema
      .createTable('attachments')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('conversation_id', 'text', (c) => c.notNull())
      .addColumn('uploader_id', 'text', (c) => c.notNull())
      .addColumn('size', 'integer', (c) => c.notNull())
      .addColumn('created_at', t.bigint, (c) => c.notNull())
      .execute();
  },
};
