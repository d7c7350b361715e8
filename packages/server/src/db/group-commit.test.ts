import { createTestDatabase, Database, type TestDatabase, testDialects } from '@signet/common';
import type { Kysely } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { GroupCommit } from './group-commit';
import { migrations, type Schema, type ServerDatabase } from './index';

describe.each(testDialects())('group commit (%s)', (dialect) => {
  let database: TestDatabase;
  let db: ServerDatabase;
  afterEach(async () => {
    await db?.close();
    await database?.drop();
  });

  async function open(): Promise<GroupCommit> {
    database = await createTestDatabase(dialect);
    db = Database.open<Schema>(database.options);
    await db.migrate(migrations);
    return new GroupCommit(db);
  }

  const block = (blocker: string) => async (tx: Kysely<Schema>) => {
    await tx.insertInto('blocks').values({ blocker_id: blocker, blocked_id: 'z', created_at: 1 }).execute();
    return blocker;
  };

  const stored = async () =>
    (await db.db.selectFrom('blocks').select('blocker_id').orderBy('blocker_id').execute()).map((r) => r.blocker_id);

  it('answers each unit of a batch with its own result, in order, once committed', async () => {
    const commits = await open();
    const names = Array.from({ length: 10 }, (_, i) => `a${i}`);
    expect(await Promise.all(names.map((n) => commits.run(block(n))))).toEqual(names);
    expect(await stored()).toEqual(names);
  });

  it('rolls back a failing unit alone, with what it wrote, and rejects it with its own error', async () => {
    const commits = await open();
    const settled = await Promise.allSettled([
      commits.run(block('a')),
      commits.run(async (tx) => {
        await block('b')(tx);
        throw new Error('refused after writing');
      }),
      // The same row again: the database refuses it.
      commits.run(block('a')),
      commits.run(block('c')),
    ]);
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'fulfilled']);
    expect((settled[1] as PromiseRejectedResult).reason).toEqual(new Error('refused after writing'));
    expect(await stored()).toEqual(['a', 'c']);
  });

  it('keeps working after a batch whose units all failed', async () => {
    const commits = await open();
    await expect(commits.run(() => Promise.reject(new Error('no')))).rejects.toThrow('no');
    await expect(commits.run(block('d'))).resolves.toBe('d');
    expect(await stored()).toEqual(['d']);
  });
});
