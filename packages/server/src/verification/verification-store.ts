import type { Kysely, Selectable } from 'kysely';
import type { Schema } from '../db';
import type { VerificationSessionsTable } from '../db/schema/verification-sessions';

export type VerificationSessionRow = Selectable<VerificationSessionsTable>;

export async function insertSession(db: Kysely<Schema>, row: VerificationSessionRow): Promise<void> {
  await db.insertInto('verification_sessions').values(row).execute();
}

export async function getSession(db: Kysely<Schema>, id: string): Promise<VerificationSessionRow | undefined> {
  return db.selectFrom('verification_sessions').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function deleteSession(db: Kysely<Schema>, id: string): Promise<void> {
  await db.deleteFrom('verification_sessions').where('id', '=', id).execute();
}

export async function recordResend(
  db: Kysely<Schema>,
  id: string,
  expectedSends: number,
  codeHash: string,
  now: number,
  expiresAt: number,
): Promise<boolean> {
  const result = await db
    .updateTable('verification_sessions')
    .set((eb) => ({ code_hash: codeHash, code_expires_at: expiresAt, last_sent_at: now, sends: eb('sends', '+', 1) }))
    .where('id', '=', id)
    .where('sends', '=', expectedSends)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Reserves one guess; false when none is left. Atomic, so parallel guesses cannot exceed the limit. */
export async function reserveAttempt(db: Kysely<Schema>, id: string, maxAttempts: number): Promise<boolean> {
  const result = await db
    .updateTable('verification_sessions')
    .set((eb) => ({ attempts: eb('attempts', '+', 1) }))
    .where('id', '=', id)
    .where('attempts', '<', maxAttempts)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export async function markVerified(db: Kysely<Schema>, id: string, now: number): Promise<void> {
  await db.updateTable('verification_sessions').set({ verified_at: now }).where('id', '=', id).execute();
}

/** Marks a verified session used; false if another registration used it first. */
export async function consumeSession(db: Kysely<Schema>, id: string, now: number): Promise<boolean> {
  const result = await db
    .updateTable('verification_sessions')
    .set({ consumed_at: now })
    .where('id', '=', id)
    .where('consumed_at', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export async function deleteSessionsBefore(db: Kysely<Schema>, createdBefore: number): Promise<number> {
  const result = await db
    .deleteFrom('verification_sessions')
    .where('created_at', '<', createdBefore)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
