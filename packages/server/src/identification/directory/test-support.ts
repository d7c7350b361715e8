import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { createTestDatabase, Database, type DialectName, type TestDatabase } from '@signet/common';
import { sql } from 'kysely';
import type { OperatorConfig } from '../../config/config';
import { migrations, type Schema, type ServerDatabase } from '../../db';
import { OperatorDirectory } from './directory';

/** Three operators named the way the registry and the portability export name them. */
export const OPERATORS: OperatorConfig[] = [
  operator('mts', 'МТС', ['7740000076', 'ПАО "Мобильные ТелеСистемы"', 'mMTS', '01']),
  operator('megafon', 'МегаФон', ['7812014560', 'ПАО «МегаФон»', 'mMEGAFON', '02']),
  operator('t2', 'T2', ['7743895280', 'ООО "Т2 Мобайл"', 'mTELE2', '20']),
];

function operator(id: string, name: string, aliases: string[]): OperatorConfig {
  return { id, name, baseUrl: `https://${id}.example`, secrets: ['whsec_dGVzdA=='], aliases };
}

/** A migrated database of one dialect and a directory over it. */
export interface DirectoryFixture {
  db: ServerDatabase;
  directory: OperatorDirectory;
  close(): Promise<void>;
}

export async function openDirectory(
  dialect: DialectName,
  operators: OperatorConfig[] = OPERATORS,
): Promise<DirectoryFixture> {
  const tdb: TestDatabase = await createTestDatabase(dialect);
  const db = Database.open<Schema>(tdb.options);
  try {
    if (dialect === 'postgres') await createMigrationTables(db);
    await db.migrate(migrations);
  } catch (error) {
    await db.close();
    await tdb.drop();
    throw error;
  }
  return {
    db,
    directory: new OperatorDirectory(db, operators),
    async close() {
      await db.close();
      await tdb.drop();
    },
  };
}

/*
 * Kysely's migrator looks for its tables in every schema of the database, so another test's schema
 * left in the shared PostgreSQL makes it skip creating them in ours. Creating them first sidesteps
 * that until Database.migrate passes the schema to the migrator.
 */
async function createMigrationTables(db: ServerDatabase): Promise<void> {
  await sql`create table if not exists kysely_migration (name varchar(255) not null primary key,
    timestamp varchar(255) not null)`.execute(db.db);
  await sql`create table if not exists kysely_migration_lock (id varchar(255) not null primary key,
    is_locked integer not null default 0)`.execute(db.db);
}

const REGISTRY_OPERATORS = [
  ['ПАО "Мобильные ТелеСистемы"', '7740000076'],
  ['"ПАО ""МегаФон"""', '7812014560'],
  ['ООО "Т2 Мобайл"', ''],
  ['ООО "Не настроенный"', '1234567890'],
] as const;

/**
 * Writes a registry CSV of `rows` ranges of 1,000 numbers, without holding it in memory. Every 100th
 * row (i % 100 = 99) names an operator that is not configured, every 1,000th (i % 1000 = 500) is
 * malformed; the rest name MTS, MegaFon and T2 by INN or by name.
 */
export async function writeRegistryFile(path: string, rows: number): Promise<{ unknown: number; malformed: number }> {
  const out = createWriteStream(path);
  out.write('\uFEFFАВС/ DEF;От;До;Емкость;Оператор;Регион;Территория ГАР;ИНН\r\n');
  let unknown = 0;
  let malformed = 0;
  let lines: string[] = [];
  for (let i = 0; i < rows; i++) {
    const code = 300 + Math.floor(i / 10_000);
    const from = (i % 10_000) * 1000;
    const [name, inn] = REGISTRY_OPERATORS[i % 100 === 99 ? 3 : i % 3]!;
    if (i % 100 === 99) unknown++;
    const start = i % 1000 === 500 ? 'x' : String(from).padStart(7, '0');
    if (i % 1000 === 500) malformed++;
    lines.push(`${code};${start};${String(from + 999).padStart(7, '0')};1000;${name};г. Москва;;${inn}`);
    if (lines.length === 10_000 || i === rows - 1) {
      if (!out.write(`${lines.join('\r\n')}\r\n`)) await once(out, 'drain');
      lines = [];
    }
  }
  out.end();
  await once(out, 'finish');
  return { unknown, malformed };
}
