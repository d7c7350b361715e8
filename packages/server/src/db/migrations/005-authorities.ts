import type { SchemaMigration } from '@signet/common';

/** The authority features: the hash-chained audit log, authorities, their nonces, and data requests. */
export const m005Authorities: SchemaMigration = {
  name: '005-authorities',
  async up(db, t) {
    await db.schema
      .createTable('audit_log')
      .addColumn('seq', t.bigint, (c) => c.primaryKey())
      .addColumn('at', t.bigint, (c) => c.notNull())
      // system | administrator | authority | operator
      .addColumn('actor_type', 'text', (c) => c.notNull())
      .addColumn('actor_id', 'text')
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('subject', 'text')
      .addColumn('payload', 'text', (c) => c.notNull())
      .addColumn('prev_hash', 'text', (c) => c.notNull())
      .addColumn('hash', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('audit_log_kind_at').on('audit_log').columns(['kind', 'at']).execute();
    await db.schema.createIndex('audit_log_at').on('audit_log').column('at').execute();

    // One row: the latest entry. Appenders lock it (PostgreSQL) so that the chain never forks, and verification
    // compares it with the last row, so that entries cut off the end are noticed too.
    await db.schema
      .createTable('audit_head')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('seq', t.bigint, (c) => c.notNull())
      .addColumn('hash', 'text', (c) => c.notNull())
      .execute();
    await db
      .insertInto('audit_head')
      .values({ id: 1, seq: 0, hash: '0'.repeat(64) })
      .execute();

    await db.schema
      .createTable('authorities')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      // Comma-separated, sorted: restriction, mailing, data-request.
      .addColumn('roles', 'text', (c) => c.notNull())
      // Ed25519, 32 bytes in base64url. The private key is never stored.
      .addColumn('public_key', 'text', (c) => c.notNull())
      .addColumn('created_at', t.bigint, (c) => c.notNull())
      .addColumn('created_by', 'text', (c) => c.notNull())
      .addColumn('disabled_at', t.bigint)
      .addColumn('disabled_by', 'text')
      .execute();

    // Nonces of signed requests, kept for as long as their timestamp is acceptable; shared by every node.
    await db.schema
      .createTable('authority_nonces')
      .addColumn('authority_id', 'text', (c) => c.notNull())
      .addColumn('nonce', 'text', (c) => c.notNull())
      .addColumn('expires_at', t.bigint, (c) => c.notNull())
      .addPrimaryKeyConstraint('authority_nonces_pk', ['authority_id', 'nonce'])
      .execute();
    await db.schema.createIndex('authority_nonces_expiry').on('authority_nonces').column('expires_at').execute();

    // The register of data requests: what was asked, on what ground, and a digest of the answer (not the answer).
    await db.schema
      .createTable('data_requests')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('authority_id', 'text', (c) => c.notNull())
      .addColumn('legal_reference', 'text', (c) => c.notNull())
      .addColumn('legal_text', 'text', (c) => c.notNull())
      // phone_number | account_id
      .addColumn('target_type', 'text', (c) => c.notNull())
      .addColumn('target', 'text', (c) => c.notNull())
      .addColumn('received_at', t.bigint, (c) => c.notNull())
      .addColumn('accounts_disclosed', 'integer', (c) => c.notNull())
      .addColumn('answer_digest', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('data_requests_received').on('data_requests').column('received_at').execute();
  },
};
