import type { SchemaMigration } from '@signet/common';

/**
 * Public channels, their posts and their followers. A post is one row that every follower reads (fan-out on
 * read); a follower's state is one row with a read cursor. Channels and posts carry a status and the order
 * that restricted them, and posts a content fingerprint, for restriction orders. Deleting an account removes
 * its channels (with their posts) and its follows.
 */
export const m006Channels: SchemaMigration = {
  name: '006-channels',
  async up(db, t) {
    await db.schema
      .createTable('channels')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('handle', 'text', (c) => c.notNull().unique())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('description', 'text', (c) => c.notNull())
      .addColumn('owner_id', 'text', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('restriction_ref', 'text')
      .addColumn('restricted_at', t.bigint)
      .addColumn('follower_count', 'integer', (c) => c.notNull())
      .addColumn('search_text', 'text', (c) => c.notNull())
      .addColumn('created_at', t.bigint, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('channels_owner').on('channels').column('owner_id').execute();
    await db.schema.createIndex('channels_followers').on('channels').column('follower_count').execute();

    await db.schema
      .createTable('channel_posts')
      .addColumn('id', t.serial, (c) => c.primaryKey())
      .addColumn('channel_id', 'text', (c) => c.notNull().references('channels.id').onDelete('cascade'))
      .addColumn('author_id', 'text', (c) => c.notNull())
      .addColumn('text', 'text', (c) => c.notNull())
      .addColumn('content_sha256', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('restriction_ref', 'text')
      .addColumn('restricted_at', t.bigint)
      .addColumn('created_at', t.bigint, (c) => c.notNull())
      .execute();
    // Pages of a channel and unread counts are ranges of this index (restricted posts are few: filtered).
    await db.schema.createIndex('channel_posts_channel').on('channel_posts').columns(['channel_id', 'id']).execute();
    await db.schema.createIndex('channel_posts_sha256').on('channel_posts').column('content_sha256').execute();

    await db.schema
      .createTable('channel_follows')
      .addColumn('channel_id', 'text', (c) => c.notNull().references('channels.id').onDelete('cascade'))
      .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
      .addColumn('read_post_id', t.bigint, (c) => c.notNull())
      .addColumn('followed_at', t.bigint, (c) => c.notNull())
      .addPrimaryKeyConstraint('channel_follows_pk', ['channel_id', 'account_id'])
      .execute();
    await db.schema.createIndex('channel_follows_account').on('channel_follows').column('account_id').execute();
  },
};
