import type { SchemaMigration } from '@signet/common';

export const m002Identification: SchemaMigration = {
  name: '002-identification',
  async up(db, t) {
    await db.schema.alterTable('accounts').addColumn('identification_request_id', 'text').execute();
    await db.schema.alterTable('accounts').addColumn('identification_failure', 'text').execute();
    await db.schema.alterTable('accounts').addColumn('identified_at', t.bigint).execute();
    await db.schema.alterTable('accounts').addColumn('possession_verified_at', t.bigint).execute();
    await db.schema.createIndex('accounts_state').on('accounts').columns(['state', 'id']).execute();

    // The operator directory: numbering plan (ranges and prefixes) and portability table (section 5).
    await db.schema
      .createTable('number_ranges')
      .addColumn('start_num', t.bigint, (c) => c.notNull())
      .addColumn('end_num', t.bigint, (c) => c.notNull())
      .addColumn('operator_id', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('number_ranges_pk', ['start_num', 'end_num'])
      .execute();
    await db.schema
      .createTable('number_prefixes')
      .addColumn('prefix', 'text', (c) => c.primaryKey())
      .addColumn('operator_id', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('ported_numbers')
      .addColumn('phone_number', 'text', (c) => c.primaryKey())
      .addColumn('operator_id', 'text', (c) => c.notNull())
      .addColumn('ported_at', t.bigint)
      .execute();

    await db.schema
      .createTable('identification_requests')
      .addColumn('request_id', 'text', (c) => c.primaryKey())
      .addColumn('account_id', 'text', (c) => c.notNull())
      .addColumn('operator_id', 'text')
      .addColumn('user_code', 'text', (c) => c.notNull())
      .addColumn('phone_number', 'text', (c) => c.notNull())
      .addColumn('reason', 'text', (c) => c.notNull())
      .addColumn('possession_verified_at', t.bigint, (c) => c.notNull())
      .addColumn('requested_at', t.bigint, (c) => c.notNull())
      .addColumn('deadline_at', t.bigint, (c) => c.notNull())
      // pending | confirmed | denied | failed
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('failure', 'text')
      .addColumn('batch_id', 'text')
      .addColumn('accepted_at', t.bigint)
      .addColumn('decided_at', t.bigint)
      .addColumn('result_received_at', t.bigint)
      .addColumn('late_result', 'text')
      .addColumn('next_poll_at', t.bigint)
      .execute();
    await db.schema
      .createIndex('identification_requests_open')
      .on('identification_requests')
      .columns(['status', 'deadline_at'])
      .execute();
    await db.schema
      .createIndex('identification_requests_unbatched')
      .on('identification_requests')
      .columns(['operator_id', 'batch_id', 'status'])
      .execute();
    await db.schema
      .createIndex('identification_requests_account')
      .on('identification_requests')
      .column('account_id')
      .execute();

    // Outgoing request batches: the same webhook-id and body bytes on every retry (section 2).
    await db.schema
      .createTable('identification_batches')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('operator_id', 'text', (c) => c.notNull())
      .addColumn('body', 'text', (c) => c.notNull())
      // open | done | abandoned
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('attempts', 'integer', (c) => c.notNull())
      .addColumn('next_attempt_at', t.bigint, (c) => c.notNull())
      .addColumn('deadline_at', t.bigint, (c) => c.notNull())
      .addColumn('created_at', t.bigint, (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('identification_batches_due')
      .on('identification_batches')
      .columns(['status', 'next_attempt_at'])
      .execute();

    // Incoming events remembered for idempotency (at least 72 hours).
    await db.schema
      .createTable('operator_event_ids')
      .addColumn('operator_id', 'text', (c) => c.notNull())
      .addColumn('webhook_id', 'text', (c) => c.notNull())
      .addColumn('body_digest', 'text', (c) => c.notNull())
      .addColumn('status', 'integer', (c) => c.notNull())
      .addColumn('response', 'text', (c) => c.notNull())
      .addColumn('received_at', t.bigint, (c) => c.notNull())
      .addPrimaryKeyConstraint('operator_event_ids_pk', ['operator_id', 'webhook_id'])
      .execute();
    await db.schema.createIndex('operator_event_ids_received').on('operator_event_ids').column('received_at').execute();

    await db.schema
      .createTable('termination_notices')
      .addColumn('operator_id', 'text', (c) => c.notNull())
      .addColumn('notice_id', 'text', (c) => c.notNull())
      .addColumn('phone_number', 'text', (c) => c.notNull())
      .addColumn('reason', 'text', (c) => c.notNull())
      .addColumn('user_codes', 'text', (c) => c.notNull())
      .addColumn('terminated_at', t.bigint, (c) => c.notNull())
      .addColumn('received_at', t.bigint, (c) => c.notNull())
      .addColumn('accounts_suspended', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('termination_notices_pk', ['operator_id', 'notice_id'])
      .execute();

    await db.schema
      .createTable('operator_sync')
      .addColumn('operator_id', 'text', (c) => c.primaryKey())
      .addColumn('changed_since', 'text')
      .addColumn('last_run_at', t.bigint, (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('backfill_jobs')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('cursor', 'text')
      .addColumn('total', 'integer', (c) => c.notNull())
      .addColumn('enqueued', 'integer', (c) => c.notNull())
      .addColumn('started_at', t.bigint, (c) => c.notNull())
      .addColumn('finished_at', t.bigint)
      .execute();
  },
};
