import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SqliteDriver from 'better-sqlite3';
import {
  type ColumnDataType,
  Kysely,
  PostgresDialect,
  type SqliteDatabase,
  SqliteDialect,
  sql,
  type Transaction,
} from 'kysely';
import { type Migration, type MigrationProvider, Migrator } from 'kysely/migration';
import pg from 'pg';

export type DialectName = 'sqlite' | 'postgres';

export interface DatabaseOptions {
  /** A PostgreSQL URL; without it the embedded SQLite file is used. */
  url?: string | undefined;
  /** Path of the SQLite file (or ':memory:'). */
  sqlitePath: string;
  /** PostgreSQL schema to work in (tests isolate themselves this way). */
  pgSchema?: string | undefined;
  /** PostgreSQL pool size. */
  poolSize?: number;
  /**
   * When a SQLite commit reaches the disk. `full` (the default): before the commit returns, so an acknowledged
   * write survives a crash of the machine. `normal`: the commit is in the operating system's hands when it
   * returns and reaches the disk at the next checkpoint; it survives the process being killed, not a power cut.
   */
  synchronous?: 'full' | 'normal';
}

/** Column types that differ between the dialects, for migrations. */
export interface ColumnTypes {
  blob: ColumnDataType;
  /** Milliseconds since the epoch, and other 64-bit integers. */
  bigint: ColumnDataType;
  /** An auto-incrementing 64-bit key. */
  serial: ColumnDataType;
  /** For the rare migration that must say something only one dialect understands. */
  dialect: DialectName;
}

/** A numbered, hand-written migration. */
export interface SchemaMigration {
  name: string;
  up(db: Kysely<any>, types: ColumnTypes): Promise<void>;
}

const INT8_OID = 20;

/** The one wrapper over Kysely: picks the dialect, migrates, runs transactions, closes. */
export class Database<DB> {
  private constructor(
    readonly db: Kysely<DB>,
    readonly dialect: DialectName,
    private readonly sqlite?: SqliteDriver.Database,
    /** The PostgreSQL schema this database works in, if not the default. */
    private readonly pgSchema?: string,
  ) {}

  static open<DB>(options: DatabaseOptions): Database<DB> {
    if (options.url) {
      const pool = new pg.Pool({
        connectionString: options.url,
        max: options.poolSize ?? 10,
        ...(options.pgSchema ? { options: `-c search_path=${options.pgSchema}` } : {}),
        types: {
          getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
            oid === INT8_OID ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format)) as never,
        },
      });
      return new Database<DB>(
        new Kysely<DB>({ dialect: new PostgresDialect({ pool }) }),
        'postgres',
        undefined,
        options.pgSchema,
      );
    }
    if (options.sqlitePath !== ':memory:') mkdirSync(dirname(options.sqlitePath), { recursive: true });
    const driver = new SqliteDriver(options.sqlitePath);
    driver.pragma('journal_mode = WAL');
    driver.pragma(`synchronous = ${options.synchronous === 'normal' ? 'NORMAL' : 'FULL'}`);
    driver.pragma('foreign_keys = ON');
    driver.pragma('busy_timeout = 5000');
    const dialect = new SqliteDialect({ database: keepingStatements(driver) });
    return new Database<DB>(new Kysely<DB>({ dialect }), 'sqlite', driver);
  }

  get columnTypes(): ColumnTypes {
    return this.dialect === 'postgres'
      ? { blob: 'bytea', bigint: 'bigint', serial: 'bigserial', dialect: 'postgres' }
      : { blob: 'blob', bigint: 'integer', serial: 'integer', dialect: 'sqlite' };
  }

  /** Applies every migration not yet applied, in order. */
  async migrate(migrations: readonly SchemaMigration[]): Promise<void> {
    const types = this.columnTypes;
    const provider: MigrationProvider = {
      async getMigrations() {
        const all: Record<string, Migration> = {};
        for (const m of migrations) all[m.name] = { up: (db) => m.up(db, types) };
        return all;
      },
    };
    // Kysely looks for its own tables in every schema unless told which one is ours.
    const migrator = new Migrator({
      db: this.db,
      provider,
      ...(this.pgSchema ? { migrationTableSchema: this.pgSchema } : {}),
    });
    for (let attempt = 1; ; attempt++) {
      const { error, results } = await migrator.migrateToLatest();
      if (!error) return;
      // Kysely's introspection reads the catalogue of every schema; one dropped meanwhile by another
      // process (PostgreSQL 3F000) fails that read, not our migration: read again.
      if ((error as { code?: string }).code === '3F000' && attempt < 5) continue;
      const failed = results?.find((r) => r.status === 'Error');
      throw new Error(`migration ${failed?.migrationName ?? '?'} failed: ${String(error)}`, { cause: error });
    }
  }

  transaction<T>(fn: (tx: Transaction<DB>) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(fn);
  }

  /** Row locking for job claims; SQLite serialises writers, so it needs none. */
  get forUpdateSkipLocked(): boolean {
    return this.dialect === 'postgres';
  }

  async ping(): Promise<void> {
    await sql`select 1`.execute(this.db);
  }

  async close(): Promise<void> {
    await this.db.destroy();
    if (this.sqlite?.open) this.sqlite.close();
  }
}

/** How many prepared statements a SQLite connection keeps. */
const STATEMENTS_KEPT = 500;

/**
 * Kysely asks the driver to prepare every query it runs, and the same few query texts come back again and
 * again: the connection keeps the statements it prepared, the most recently used ones, and reuses them.
 * A statement still being iterated is never handed out twice.
 */
function keepingStatements(driver: SqliteDriver.Database): SqliteDatabase {
  const kept = new Map<string, SqliteDriver.Statement>();
  return {
    close: () => driver.close(),
    prepare(text: string) {
      const stmt = kept.get(text);
      if (stmt?.busy) return driver.prepare(text);
      kept.delete(text);
      const fresh = stmt ?? driver.prepare(text);
      kept.set(text, fresh);
      if (kept.size > STATEMENTS_KEPT) kept.delete(kept.keys().next().value as string);
      return fresh;
    },
  };
}

/** True when an error is a unique-constraint violation on either dialect. */
export function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: string } | undefined;
  return e?.code === '23505' || e?.code === 'SQLITE_CONSTRAINT_UNIQUE' || e?.code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}
