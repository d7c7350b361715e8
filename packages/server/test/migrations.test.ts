import { createTestDatabase, Database, type TestDatabase, testDialects } from '@signet/common';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { migrations } from '../src/db';

/** Migrations that move data, checked on a database that holds some. */
describe.each(testDialects())('migrations (%s)', (dialect) => {
  let test: TestDatabase;
  // Typed loosely: the rows written here belong to the schema as it was before the migration under test.
  let db: Database<any>;
  afterEach(async () => {
    await db?.close();
    await test?.drop();
  });

  it('004 keeps inbox entries and send receipts, and numbers what comes next above every seq issued', async () => {
    test = await createTestDatabase(dialect);
    db = Database.open(test.options);
    const upTo003 = migrations.slice(
      0,
      migrations.findIndex((m) => m.name.startsWith('004')),
    );
    await db.migrate(upTo003);
    const k = db.db;
    for (const [id, account] of [
      ['dev_a', 'acc_a'],
      ['dev_b', 'acc_b'],
    ]) {
      await k
        .insertInto('accounts')
        .values(accountRow(account as string))
        .execute();
      await k
        .insertInto('devices')
        .values({ id, account_id: account, name: id, token_hash: `h_${id}`, created_at: 1, last_seen_at: 1 })
        .execute();
    }
    const message = await k
      .insertInto('messages')
      .values({
        conversation_id: 'g1',
        sender_account_id: 'acc_a',
        sender_device_id: 'dev_a',
        client_message_id: 'c1',
        kind: 'application',
        epoch: 1,
        payload: 'x',
        created_at: 1000,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const entry = (device: string, account: string) => ({
      device_id: device,
      account_id: account,
      message_id: message.id,
      kind: 'application',
      expires_at: 9e12,
    });
    // Three entries issued; the last (the highest seq) acknowledged and deleted.
    await k
      .insertInto('inbox')
      .values([entry('dev_b', 'acc_b'), entry('dev_b', 'acc_b'), entry('dev_a', 'acc_a')])
      .execute();
    const issued = await k.selectFrom('inbox').select(['seq', 'device_id']).orderBy('seq').execute();
    const highest = Math.max(...issued.map((r) => Number(r.seq)));
    await k.deleteFrom('inbox').where('seq', '=', highest).execute();

    await db.migrate(migrations);

    const kept = await k.selectFrom('inbox').select(['device_id', 'seq']).orderBy('seq').execute();
    expect(kept.map((r) => [r.device_id, Number(r.seq)])).toEqual(
      issued.slice(0, 2).map((r) => [r.device_id, Number(r.seq)]),
    );
    const heads = await k.selectFrom('inbox_heads').select(['device_id', 'seq']).orderBy('device_id').execute();
    expect(heads.map((h) => [h.device_id, Number(h.seq)])).toEqual([
      ['dev_a', highest],
      ['dev_b', highest],
    ]);
    const receipts = await k.selectFrom('send_receipts').selectAll().execute();
    expect(receipts).toEqual([
      {
        device_id: 'dev_a',
        client_message_id: 'c1',
        message_id: Number(message.id),
        epoch: 1,
        expires_at: expect.any(Number),
      },
    ]);
    // Seqs count per device now: another device may hold the same number.
    await k
      .insertInto('inbox')
      .values({ ...entry('dev_a', 'acc_a'), seq: Number(kept[0]?.seq) })
      .execute();
    const { rows } = await sql<{ n: number }>`select count(*) as n from inbox`.execute(k);
    expect(Number(rows[0]?.n)).toBe(3);
  });
});

function accountRow(id: string) {
  return {
    id,
    phone_number: id === 'acc_a' ? '+79001230001' : '+79001230002',
    state: 'identified',
    user_code: `uc_${id}`,
    created_at: 1,
    last_active_at: 1,
  };
}
