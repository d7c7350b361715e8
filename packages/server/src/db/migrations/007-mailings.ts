import type { SchemaMigration } from '@signet/common';

/**
 * Official mass mailings. A mailing is one row whatever the size of its audience (fan-out on read): accounts
 * find theirs by matching their number against its audience. Each account's notice state is one small row,
 * made on first use: how far its devices have received and read, and whether it muted the notices.
 */
export const m007Mailings: SchemaMigration = {
  name: '007-mailings',
  async up(db, t) {
    await db.schema
      .createTable('mailings')
      .addColumn('id', t.serial, (c) => c.primaryKey())
      .addColumn('authority_id', 'text', (c) => c.notNull().references('authorities.id'))
      .addColumn('title', 'text', (c) => c.notNull())
      .addColumn('body', 'text', (c) => c.notNull())
      // JSON: {"all":true} or {"prefixes":[…]} (sorted, without repeats), exactly as signed.
      .addColumn('audience', 'text', (c) => c.notNull())
      .addColumn('issued_at', t.bigint, (c) => c.notNull())
      // The authority's Ed25519 signature: the same signed notice sent twice is one mailing.
      .addColumn('signature', 'text', (c) => c.notNull().unique())
      .addColumn('sent_at', t.bigint, (c) => c.notNull())
      .addColumn('audience_size', t.bigint, (c) => c.notNull())
      // active | withdrawn
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('withdrawn_at', t.bigint)
      .execute();
    await db.schema.createIndex('mailings_authority').on('mailings').columns(['authority_id', 'id']).execute();

    await db.schema
      .createTable('notice_states')
      .addColumn('account_id', 'text', (c) => c.primaryKey().references('accounts.id').onDelete('cascade'))
      .addColumn('delivered_up_to', t.bigint, (c) => c.notNull())
      .addColumn('read_up_to', t.bigint, (c) => c.notNull())
      .addColumn('muted', 'integer', (c) => c.notNull())
      .addColumn('updated_at', t.bigint, (c) => c.notNull())
      .execute();
    // The delivered and read counts of a mailing are ranges of these.
    await db.schema.createIndex('notice_states_delivered').on('notice_states').column('delivered_up_to').execute();
    await db.schema.createIndex('notice_states_read').on('notice_states').column('read_up_to').execute();

    // The audience of a mailing to prefixes is counted from this index alone, without reading the accounts. It
    // replaces the index on the number alone, which it serves as well: left there, that one tempts the planner
    // (SQLite with statistics) into reading every account of the audience for its state.
    await db.schema.createIndex('accounts_number_state').on('accounts').columns(['phone_number', 'state']).execute();
    await db.schema.dropIndex('accounts_number').execute();
  },
};
