import { createTestDatabase, Database, ManualClock, type TestDatabase, testDialects } from '@signet/common';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AuditLog } from '../src/audit/audit-log';
import { entryHash } from '../src/audit/chain';
import { migrations, type Schema } from '../src/db';

describe.each(testDialects())('audit log (%s)', (dialect) => {
  let database: TestDatabase;
  let db: Database<Schema>;
  let clock: ManualClock;
  let audit: AuditLog;

  beforeEach(async () => {
    database = await createTestDatabase(dialect);
    db = Database.open<Schema>(database.options);
    await db.migrate(migrations);
    clock = new ManualClock();
    audit = new AuditLog(db, clock);
  });
  afterEach(async () => {
    await db.close();
    await database.drop();
  });

  /** Six entries from every kind of actor. */
  async function sixEntries() {
    await audit.appendNow({ actor: { type: 'system' }, kind: 'test.one', subject: 'a', payload: { n: 1 } });
    clock.advance(1000);
    await audit.appendNow([
      { actor: { type: 'administrator', id: 'root' }, kind: 'test.two', payload: { b: [1, 2], a: 'x' } },
      { actor: { type: 'authority', id: 'auth_1' }, kind: 'test.three', subject: 'acc_1' },
    ]);
    clock.advance(1000);
    await audit.appendNow({
      actor: { type: 'operator', id: 'op1' },
      kind: 'test.four',
      payload: { deep: { z: 1, y: 2 } },
    });
    await audit.appendNow([
      { actor: { type: 'system' }, kind: 'test.five' },
      { actor: { type: 'system' }, kind: 'test.six', payload: { last: true } },
    ]);
  }
  const rows = () => db.db.selectFrom('audit_log').selectAll().orderBy('seq').execute();

  it('chains every entry to the one before and verifies the whole chain', async () => {
    await sixEntries();
    const all = await rows();
    expect(all.map((r) => r.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(all[0]!.prev_hash).toBe('0'.repeat(64));
    for (let i = 1; i < all.length; i++) expect(all[i]!.prev_hash).toBe(all[i - 1]!.hash);
    for (const r of all) expect(entryHash(r)).toBe(r.hash);
    // Payloads are stored canonically: sorted keys, no spaces.
    expect(all[1]!.payload).toBe('{"a":"x","b":[1,2]}');
    expect(all[3]).toMatchObject({ actor_type: 'operator', actor_id: 'op1', payload: '{"deep":{"y":2,"z":1}}' });
    const progress: number[] = [];
    const result = await audit.verify((checked) => progress.push(checked));
    expect(result).toEqual({ ok: true, checked: 6, head: { seq: 6, hash: all[5]!.hash } });
    expect(progress.at(-1)).toBe(6);
  });

  it('verifies an empty log', async () => {
    expect(await audit.verify()).toEqual({ ok: true, checked: 0, head: { seq: 0, hash: '0'.repeat(64) } });
  });

  it('breaks exactly at an edited entry, whichever entry and whichever field', async () => {
    await sixEntries();
    type Row = Awaited<ReturnType<typeof rows>>[number];
    const edits = (r: Row): Array<Record<string, unknown>> => [
      { payload: '{"n":2}' },
      { at: r.at + 1 },
      { kind: 'test.other' },
      { actor_type: r.actor_type === 'system' ? 'administrator' : 'system' },
      { actor_id: 'someone' },
      { subject: 'acc_2' },
    ];
    for (let seq = 1; seq <= 6; seq++) {
      const original = (await rows())[seq - 1]!;
      for (const edit of edits(original)) {
        await db.db.updateTable('audit_log').set(edit).where('seq', '=', seq).execute();
        const result = await audit.verify();
        expect(result.ok, `${seq} ${JSON.stringify(edit)}`).toBe(false);
        expect(result.break).toMatchObject({ seq, reason: 'altered' });
        const { seq: _, ...restore } = original;
        await db.db.updateTable('audit_log').set(restore).where('seq', '=', seq).execute();
      }
    }
    expect((await audit.verify()).ok).toBe(true);
  });

  it('breaks exactly at an entry rewritten with a hash of its own, or whose stored hashes were changed', async () => {
    await sixEntries();
    for (const seq of [1, 3, 5]) {
      const original = (await rows())[seq - 1]!;
      const forged = { ...original, payload: '{"forged":true}' };
      await db.db
        .updateTable('audit_log')
        .set({ payload: forged.payload, hash: entryHash(forged) })
        .where('seq', '=', seq)
        .execute();
      expect((await audit.verify()).break).toMatchObject({ seq, reason: 'relinked' });
      await db.db
        .updateTable('audit_log')
        .set({ hash: 'f'.repeat(64) })
        .where('seq', '=', seq)
        .execute();
      expect((await audit.verify()).break).toMatchObject({ seq, reason: 'altered' });
      await db.db
        .updateTable('audit_log')
        .set({ prev_hash: 'e'.repeat(64) })
        .where('seq', '=', seq)
        .execute();
      expect((await audit.verify()).break).toMatchObject({ seq, reason: 'altered' });
      await db.db.updateTable('audit_log').set(original).where('seq', '=', seq).execute();
    }
    // The last entry rewritten: the head no longer names its hash.
    const last = (await rows())[5]!;
    const forged = { ...last, kind: 'test.forged' };
    await db.db
      .updateTable('audit_log')
      .set({ kind: forged.kind, hash: entryHash(forged) })
      .where('seq', '=', 6)
      .execute();
    expect((await audit.verify()).break).toMatchObject({ seq: 6, reason: 'head' });
  });

  it('breaks exactly at a deleted entry, the last one included', async () => {
    await sixEntries();
    const all = await rows();
    for (const seq of [1, 2, 4, 6]) {
      await db.db.deleteFrom('audit_log').where('seq', '=', seq).execute();
      const result = await audit.verify();
      expect(result.break, String(seq)).toMatchObject({ seq, reason: 'missing' });
      expect(result.break?.message).toContain(`${seq}`);
      await db.db
        .insertInto('audit_log')
        .values(all[seq - 1]!)
        .execute();
    }
    expect((await audit.verify()).ok).toBe(true);
  });

  it('breaks at the first of two entries whose places were swapped', async () => {
    await sixEntries();
    const all = await rows();
    const [b, c] = [all[1]!, all[2]!];
    await db.db.deleteFrom('audit_log').where('seq', 'in', [2, 3]).execute();
    await db.db
      .insertInto('audit_log')
      .values([
        { ...c, seq: 2 },
        { ...b, seq: 3 },
      ])
      .execute();
    expect((await audit.verify()).break).toMatchObject({ seq: 2, reason: 'altered' });
  });

  it('notices an entry added past the head, outside the log', async () => {
    await sixEntries();
    const last = (await rows())[5]!;
    const extra = { ...last, seq: 7, prev_hash: last.hash, kind: 'test.smuggled' };
    await db.db
      .insertInto('audit_log')
      .values({ ...extra, hash: entryHash(extra) })
      .execute();
    expect((await audit.verify()).break).toMatchObject({ seq: 7, reason: 'head' });
  });

  it('appends only inside a transaction', async () => {
    await expect(audit.append(db.db, { actor: { type: 'system' }, kind: 'test.loose' })).rejects.toThrow(
      /inside a transaction/,
    );
  });

  it('does not fork the chain when many transactions append at once', async () => {
    await Promise.all(
      Array.from({ length: 24 }, (_, i) =>
        db.transaction(async (tx) => {
          await tx.selectFrom('audit_head').select('seq').execute();
          await audit.append(tx, [
            { actor: { type: 'system' }, kind: 'test.parallel', payload: { i, part: 1 } },
            { actor: { type: 'system' }, kind: 'test.parallel', payload: { i, part: 2 } },
          ]);
        }),
      ),
    );
    const all = await rows();
    expect(all.map((r) => r.seq)).toEqual(Array.from({ length: 48 }, (_, i) => i + 1));
    // The two entries of one transaction are neighbours.
    for (let i = 0; i < 48; i += 2) expect(JSON.parse(all[i]!.payload).i).toBe(JSON.parse(all[i + 1]!.payload).i);
    expect(await audit.verify()).toMatchObject({ ok: true, checked: 48 });
  });

  it('leaves nothing of an append whose transaction rolls back', async () => {
    await sixEntries();
    await expect(
      db.transaction(async (tx) => {
        await audit.append(tx, { actor: { type: 'system' }, kind: 'test.rolled-back' });
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    await audit.appendNow({ actor: { type: 'system' }, kind: 'test.after' });
    expect((await rows()).map((r) => r.kind).slice(-2)).toEqual(['test.six', 'test.after']);
    expect(await audit.verify()).toMatchObject({ ok: true, checked: 7 });
  });
});
