/**
 * Seeds the mailing benchmark's database: N identified accounts whose numbers spread evenly over the 100
 * prefixes +7900 … +7999, one device with a session for each of the first `online` accounts, and an authority
 * with the `mailing` role. Accounts go in by bulk inserts straight into the SQLite file (registration and
 * identification are not under test), with the secondary indexes of the accounts table dropped during the
 * load and built again afterwards, which is several times faster than maintaining them row by row.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { AuthoritySigner } from '@signet/client/authority';
import { Database, systemClock } from '@signet/common';
import { AuditLog, AuthorityAdmin, migrations, type Schema } from '@signet/server';
import SqliteDriver from 'better-sqlite3';

/** Prefix p (0 … 99) is +7900 + p; the account's number is that prefix and seven digits. */
export const PREFIXES = Array.from({ length: 100 }, (_, p) => `+79${String(p).padStart(2, '0')}`);

export const phoneOf = (i: number) => `${PREFIXES[i % 100]}${String(Math.floor(i / 100)).padStart(7, '0')}`;
const accountId = (i: number) => `acc_m${String(i).padStart(8, '0')}`;
const deviceId = (i: number) => `dev_m${String(i).padStart(8, '0')}`;
/** A fixed 43-character token per device: only its hash is stored, as for real sessions. */
export const tokenOf = (i: number) => createHash('sha256').update(`signet-mail-bench-${i}`).digest('base64url');

export interface Seeded {
  signer: AuthoritySigner;
  authorityId: string;
  seconds: number;
}

export async function seed(dataDir: string, accounts: number, online: number): Promise<Seeded> {
  const started = performance.now();
  const path = join(dataDir, 'signet.db');
  // The schema, and the authority as `signet authority create` makes one (its creation audited).
  const db = Database.open<Schema>({ sqlitePath: path });
  await db.migrate(migrations);
  const created = await new AuthorityAdmin(db, systemClock, new AuditLog(db, systemClock)).create({
    name: 'Bench Ministry',
    roles: ['mailing'],
    by: 'bench',
  });
  await db.close();

  const raw = new SqliteDriver(path);
  raw.pragma('journal_mode = WAL');
  raw.pragma('synchronous = OFF');
  const indexes = raw
    .prepare("select name, sql from sqlite_master where type = 'index' and tbl_name = 'accounts' and sql is not null")
    .all() as Array<{ name: string; sql: string }>;
  for (const { name } of indexes) raw.exec(`drop index ${name}`);
  // Accounts were created a day ago: every mailing of the run is addressed to them.
  const at = Date.now() - 24 * 3600 * 1000;
  const insertAccount = raw.prepare(
    `insert into accounts (id, phone_number, state, user_code, password_record, suspended_reason, created_at,
       last_active_at, retired_at, identification_request_id, identification_failure, identified_at,
       possession_verified_at)
     values (?, ?, 'identified', ?, null, null, ?, ?, null, null, null, ?, ?)`,
  );
  const insertDevice = raw.prepare(
    'insert into devices (id, account_id, name, token_hash, created_at, last_seen_at) values (?, ?, ?, ?, ?, ?)',
  );
  const load = raw.transaction((from: number, to: number) => {
    for (let i = from; i < to; i++) insertAccount.run(accountId(i), phoneOf(i), `uc_m${i}`, at, at, at, at);
  });
  for (let from = 0; from < accounts; from += 100_000) load(from, Math.min(accounts, from + 100_000));
  raw.transaction(() => {
    for (let i = 0; i < online; i++) {
      const hash = createHash('sha256').update(tokenOf(i)).digest('hex');
      // Seen "later": the server does not write the device row on each of the run's connections.
      insertDevice.run(deviceId(i), accountId(i), 'bench', hash, at, Date.now() + 3600 * 1000);
    }
  })();
  for (const { sql } of indexes) raw.exec(sql);
  raw.exec('analyze');
  raw.close();

  const signer = await AuthoritySigner.fromCredential({
    authorityId: created.authority.id,
    privateKey: created.privateKey,
  });
  return { signer, authorityId: created.authority.id, seconds: (performance.now() - started) / 1000 };
}
