import { userInfo } from 'node:os';
import { Database, systemClock } from '@signet/common';
import { AuditLog, AuthorityAdmin, buildConfig, migrations, readEnv, type Schema } from '@signet/server';
import { fail } from './run';

/** What the administrator commands work with: the server's migrated database, its audit log and authorities. */
export interface AdminContext {
  db: Database<Schema>;
  audit: AuditLog;
  authorities: AuthorityAdmin;
}

/** Opens the database the server uses (SIGNET_* settings), runs `fn`, and closes; errors are printed. */
export async function withAdminContext(fn: (ctx: AdminContext) => Promise<void>): Promise<void> {
  let db: Database<Schema> | undefined;
  try {
    const config = buildConfig(readEnv());
    db = Database.open<Schema>({ url: config.database.url, sqlitePath: config.database.sqlitePath });
    await db.migrate(migrations);
    const audit = new AuditLog(db, systemClock);
    await fn({ db, audit, authorities: new AuthorityAdmin(db, systemClock, audit) });
    await db.close();
  } catch (error) {
    await db?.close().catch(() => {});
    fail(error);
  }
}

/** Who runs an administrator command, as the audit log names them. */
export function administratorName(given: string | undefined): string {
  if (given?.trim()) return given.trim();
  try {
    return userInfo().username || 'administrator';
  } catch {
    return 'administrator';
  }
}

export function print(line: string): void {
  process.stdout.write(`${line}\n`);
}
