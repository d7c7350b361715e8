import type { SchemaMigration } from '@signet/common';
import { sql } from 'kysely';

/**
 * Inbox sequence numbers become per device, drawn from a counter row that each send locks until it commits.
 * With one global sequence, two sends to the same device could commit in the other order on PostgreSQL: the
 * device would see seq 7, acknowledge it, and so delete seq 6 committed a moment later, unseen. Now a
 * device's entries become visible in the order of their numbers, so "everything up to N" means what it says.
 *
 * Existing entries keep their numbers, and every counter starts above the highest number ever issued, so
 * that a client's stored cursor stays below whatever comes next.
 *
 * Send receipts keep a send's client message id after its message is delivered and deleted, so that a retry
 * of it, however late, still acts once.
 *
 * Group leaves record where commits put each device in a group's ratchet tree (clients report it; the tree
 * is encrypted), and pending removals the devices of retired accounts whose removal the server proposes as
 * the groups' external sender until a commit carries it out.
 */
/** Receipts of sends already stored when this migration runs are kept this long. */
const RECEIPT_DAYS = 30;

export const m004DeliveryOrder: SchemaMigration = {
  name: '004-delivery-order',
  async up(db, t) {
    await db.schema
      .createTable('inbox_heads')
      .addColumn('device_id', 'text', (c) => c.primaryKey())
      .addColumn('seq', t.bigint, (c) => c.notNull())
      .execute();

    const issued =
      t.dialect === 'sqlite'
        ? sql<{ n: number }>`select coalesce((select seq from sqlite_sequence where name = 'inbox'), 0) as n`
        : sql<{ n: number }>`select last_value as n from inbox_seq_seq`;
    const highest = Number((await issued.execute(db)).rows[0]?.n ?? 0);
    await sql`insert into inbox_heads (device_id, seq) select id, ${highest} from devices`.execute(db);

    await db.schema
      .createTable('inbox_entries')
      .addColumn('device_id', 'text', (c) => c.notNull())
      .addColumn('seq', t.bigint, (c) => c.notNull())
      .addColumn('account_id', 'text', (c) => c.notNull())
      .addColumn('message_id', t.bigint, (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('expires_at', t.bigint, (c) => c.notNull())
      .addPrimaryKeyConstraint('inbox_entries_pk', ['device_id', 'seq'])
      .execute();
    await sql`insert into inbox_entries (device_id, seq, account_id, message_id, kind, expires_at)
      select device_id, seq, account_id, message_id, kind, expires_at from inbox`.execute(db);
    await db.schema.dropTable('inbox').execute();
    await db.schema.alterTable('inbox_entries').renameTo('inbox').execute();
    await db.schema.createIndex('inbox_message').on('inbox').column('message_id').execute();
    await db.schema.createIndex('inbox_expires').on('inbox').column('expires_at').execute();
    await db.schema.createIndex('inbox_account').on('inbox').column('account_id').execute();

    await db.schema
      .createTable('send_receipts')
      .addColumn('device_id', 'text', (c) => c.notNull())
      .addColumn('client_message_id', 'text', (c) => c.notNull())
      .addColumn('message_id', t.bigint, (c) => c.notNull())
      .addColumn('epoch', 'integer', (c) => c.notNull())
      .addColumn('expires_at', t.bigint, (c) => c.notNull())
      .addPrimaryKeyConstraint('send_receipts_pk', ['device_id', 'client_message_id'])
      .execute();
    await db.schema.createIndex('send_receipts_expires').on('send_receipts').column('expires_at').execute();
    await sql`insert into send_receipts (device_id, client_message_id, message_id, epoch, expires_at)
      select sender_device_id, client_message_id, id, epoch, created_at + ${RECEIPT_DAYS * 86_400_000} from messages
      where sender_device_id is not null and client_message_id is not null`.execute(db);
    await db.schema
      .createTable('group_leaves')
      .addColumn('conversation_id', 'text', (c) => c.notNull())
      .addColumn('device_id', 'text', (c) => c.notNull())
      .addColumn('account_id', 'text', (c) => c.notNull())
      .addColumn('leaf_index', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('group_leaves_pk', ['conversation_id', 'device_id'])
      .execute();
    await db.schema.createIndex('group_leaves_account').on('group_leaves').column('account_id').execute();
    await db.schema
      .createTable('pending_removals')
      .addColumn('conversation_id', 'text', (c) => c.notNull())
      .addColumn('device_id', 'text', (c) => c.notNull())
      .addColumn('account_id', 'text', (c) => c.notNull())
      .addColumn('leaf_index', 'integer', (c) => c.notNull())
      // The epoch the last proposal was made for; a commit that did not carry it moves the group past it.
      .addColumn('proposed_epoch', 'integer')
      .addColumn('created_at', t.bigint, (c) => c.notNull())
      .addPrimaryKeyConstraint('pending_removals_pk', ['conversation_id', 'device_id'])
      .execute();

    // The receipts' key now guards against a second copy of a send.
    await db.schema.dropIndex('messages_client_id').execute();
  },
};
