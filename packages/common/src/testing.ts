import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { DatabaseOptions, DialectName } from './database';

/** A database for one test: a fresh SQLite file, or a fresh schema in the test PostgreSQL. */
export interface TestDatabase {
  dialect: DialectName;
  options: DatabaseOptions;
  drop(): Promise<void>;
}

/** The dialects the suite runs on: SQLite always, PostgreSQL when SIGNET_TEST_DATABASE_URL is set. */
export function testDialects(): DialectName[] {
  return process.env.SIGNET_TEST_DATABASE_URL ? ['sqlite', 'postgres'] : ['sqlite'];
}

export async function createTestDatabase(dialect: DialectName): Promise<TestDatabase> {
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'signet-test-'));
    return {
      dialect,
      options: { sqlitePath: join(dir, 'signet.db') },
      async drop() {
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const url = process.env.SIGNET_TEST_DATABASE_URL;
  if (!url) throw new Error('SIGNET_TEST_DATABASE_URL is not set');
  const schema = `t_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 10)}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  await admin.end();
  return {
    dialect,
    options: { url, sqlitePath: ':memory:', pgSchema: schema, poolSize: 4 },
    async drop() {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      await c.query(`drop schema if exists ${schema} cascade`);
      await c.end();
    },
  };
}
