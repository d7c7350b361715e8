import type { SchemaMigration } from '@signet/common';

/**
 * Restriction orders: the register of orders (legal basis, target, action, status, expiry, notice), the notices
 * the affected users were given, and an index that reads an order's audit trail (entries whose subject it is).
 */
export const m008Restrictions: SchemaMigration = {
  name: '008-restrictions',
  async up(db, t) {
    await db.schema
      .createTable('restriction_orders')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('authority_id', 'text', (c) => c.notNull())
      .addColumn('legal_reference', 'text', (c) => c.notNull())
      .addColumn('legal_text', 'text', (c) => c.notNull())
      // channel_post | channel | account_sending | account_reach | content_fingerprint
      .addColumn('target_type', 'text', (c) => c.notNull())
      // The post number in decimal, the channel id, the account id or the lower-case hex SHA-256.
      .addColumn('target', 'text', (c) => c.notNull())
      .addColumn('action', 'text', (c) => c.notNull())
      // active | revoked | expired
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('notice_withheld', 'integer', (c) => c.notNull())
      .addColumn('withheld_ground', 'text')
      .addColumn('issued_at', t.bigint, (c) => c.notNull())
      .addColumn('expires_at', t.bigint)
      .addColumn('ended_at', t.bigint)
      .addColumn('ended_by', 'text')
      .addColumn('end_reason', 'text')
      .addColumn('posts_restricted', 'integer', (c) => c.notNull())
      .execute();
    // Every check the messenger makes (may this account send? is this fingerprint blocked?) is one range of this.
    await db.schema
      .createIndex('restriction_orders_target')
      .on('restriction_orders')
      .columns(['target_type', 'target', 'status'])
      .execute();
    await db.schema
      .createIndex('restriction_orders_expiry')
      .on('restriction_orders')
      .columns(['status', 'expires_at'])
      .execute();
    await db.schema
      .createIndex('restriction_orders_authority')
      .on('restriction_orders')
      .columns(['authority_id', 'id'])
      .execute();

    // What each affected account was told, so that it can read it again and be told when the order ends.
    await db.schema
      .createTable('restriction_notices')
      .addColumn('id', t.serial, (c) => c.primaryKey())
      .addColumn('order_id', 'text', (c) => c.notNull())
      .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
      // JSON: the RestrictedItem of the protocol.
      .addColumn('restricted', 'text', (c) => c.notNull())
      .addColumn('notified_at', t.bigint, (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('restriction_notices_account')
      .on('restriction_notices')
      .columns(['account_id', 'id'])
      .execute();
    await db.schema.createIndex('restriction_notices_order').on('restriction_notices').column('order_id').execute();

    await db.schema.createIndex('audit_log_subject').on('audit_log').columns(['subject', 'seq']).execute();
  },
};
