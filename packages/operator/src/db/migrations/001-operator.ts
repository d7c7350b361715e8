import type { ColumnTypes, SchemaMigration } from '@signet/common';
import { type Kysely, sql } from 'kysely';

export const m001Operator: SchemaMigration = {
  name: '001-operator',
  async up(db, t) {
    // Reconciliation orders codes and numbers by code point (spec 2); PostgreSQL's default collation does not.
    const ordered = isPostgres(t) ? sql`text collate "C"` : sql`text`;

    await db.schema
      .createTable('subscribers')
      .addColumn('phone_number', 'text', (c) => c.primaryKey())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('identity_complete', 'integer', (c) => c.notNull())
      .addColumn('created_at', t.bigint, (c) => c.notNull())
      .addColumn('updated_at', t.bigint, (c) => c.notNull())
      .addColumn('contract_ended_at', t.bigint)
      .execute();

    await db.schema
      .createTable('identification_requests')
      .addColumn('messenger_id', 'text', (c) => c.notNull())
      .addColumn('request_id', 'text', (c) => c.notNull())
      .addColumn('user_code', 'text', (c) => c.notNull())
      .addColumn('phone_number', 'text', (c) => c.notNull())
      .addColumn('reason', 'text', (c) => c.notNull())
      .addColumn('possession_verified_at', 'text', (c) => c.notNull())
      .addColumn('requested_at', 'text', (c) => c.notNull())
      .addColumn('requested_at_ms', t.bigint, (c) => c.notNull())
      .addColumn('accepted_at', t.bigint, (c) => c.notNull())
      .addColumn('due_at', t.bigint)
      .addColumn('decided_at', t.bigint)
      .addColumn('result', 'text')
      .addColumn('reason_code', 'text')
      .addColumn('event_id', 'text')
      .addPrimaryKeyConstraint('identification_requests_pk', ['messenger_id', 'request_id'])
      .execute();
    await partialIndex(db, 'identification_requests_due', 'identification_requests', 'due_at', 'decided_at is null');
    await partialIndex(
      db,
      'identification_requests_unsent',
      'identification_requests',
      'messenger_id, decided_at',
      'decided_at is not null and event_id is null',
    );
    await db.schema
      .createIndex('identification_requests_decided')
      .on('identification_requests')
      .column('decided_at')
      .execute();

    await db.schema
      .createTable('registrations')
      .addColumn('id', t.serial, (c) => c.primaryKey())
      .addColumn('messenger_id', 'text', (c) => c.notNull())
      .addColumn('user_code', ordered, (c) => c.notNull())
      .addColumn('phone_number', ordered, (c) => c.notNull())
      .addColumn('request_id', 'text', (c) => c.notNull())
      .addColumn('decided_at', t.bigint, (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('changed_at', t.bigint, (c) => c.notNull())
      .addColumn('terminated_at', t.bigint)
      .addColumn('termination_reason', 'text')
      .addUniqueConstraint('registrations_triple', ['messenger_id', 'user_code', 'phone_number'])
      .execute();
    await db.schema
      .createIndex('registrations_listing')
      .on('registrations')
      .columns(['messenger_id', 'changed_at', 'user_code', 'phone_number'])
      .execute();
    await db.schema
      .createIndex('registrations_number')
      .on('registrations')
      .columns(['phone_number', 'status'])
      .execute();

    await db.schema
      .createTable('termination_notices')
      .addColumn('notice_id', 'text', (c) => c.primaryKey())
      .addColumn('messenger_id', 'text', (c) => c.notNull())
      .addColumn('phone_number', 'text', (c) => c.notNull())
      .addColumn('user_codes', 'text', (c) => c.notNull())
      .addColumn('reason', 'text', (c) => c.notNull())
      .addColumn('terminated_at', t.bigint, (c) => c.notNull())
      .addColumn('event_id', 'text')
      .addColumn('delivered_at', t.bigint)
      .execute();
    await partialIndex(
      db,
      'termination_notices_unsent',
      'termination_notices',
      'messenger_id, terminated_at',
      'event_id is null',
    );
    await db.schema.createIndex('termination_notices_event').on('termination_notices').column('event_id').execute();
    await db.schema.createIndex('termination_notices_at').on('termination_notices').column('terminated_at').execute();

    await db.schema
      .createTable('outbox_events')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('messenger_id', 'text', (c) => c.notNull())
      .addColumn('type', 'text', (c) => c.notNull())
      .addColumn('body', 'text', (c) => c.notNull())
      .addColumn('item_count', 'integer', (c) => c.notNull())
      .addColumn('created_at', t.bigint, (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('attempts', 'integer', (c) => c.notNull())
      .addColumn('next_attempt_at', t.bigint)
      .addColumn('last_attempt_at', t.bigint)
      .addColumn('last_status', 'integer')
      .addColumn('last_error', 'text')
      .addColumn('delivered_at', t.bigint)
      .execute();
    await partialIndex(db, 'outbox_events_due', 'outbox_events', 'next_attempt_at', "state = 'pending'");

    await db.schema
      .createTable('idempotency_keys')
      .addColumn('messenger_id', 'text', (c) => c.notNull())
      .addColumn('webhook_id', 'text', (c) => c.notNull())
      .addColumn('body_digest', 'text', (c) => c.notNull())
      .addColumn('status', 'integer', (c) => c.notNull())
      .addColumn('response_body', 'text', (c) => c.notNull())
      .addColumn('created_at', t.bigint, (c) => c.notNull())
      .addPrimaryKeyConstraint('idempotency_keys_pk', ['messenger_id', 'webhook_id'])
      .execute();
    await db.schema.createIndex('idempotency_keys_created').on('idempotency_keys').column('created_at').execute();

    await db.schema
      .createTable('operator_keys')
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('value', 'text', (c) => c.notNull())
      .addColumn('created_at', t.bigint, (c) => c.notNull())
      .execute();
  },
};

/** The column types tell the dialects apart: only PostgreSQL has bigserial. */
function isPostgres(t: ColumnTypes): boolean {
  return t.serial === 'bigserial';
}

/** A partial index, written out because both dialects share this syntax and the builder's is clumsy for it. */
async function partialIndex(db: Kysely<any>, name: string, table: string, columns: string, where: string) {
  await sql`create index ${sql.id(name)} on ${sql.id(table)} (${sql.raw(columns)}) where ${sql.raw(where)}`.execute(db);
}
