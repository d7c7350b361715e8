import type { Kysely, Selectable } from 'kysely';
import type { Schema } from '../db';
import type { AuthoritiesTable } from '../db/schema/authorities';

export type AuthorityRow = Selectable<AuthoritiesTable>;

export async function insertAuthority(db: Kysely<Schema>, row: AuthorityRow): Promise<void> {
  await db.insertInto('authorities').values(row).execute();
}

export async function getAuthority(db: Kysely<Schema>, id: string): Promise<AuthorityRow | undefined> {
  return db.selectFrom('authorities').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listAuthorities(db: Kysely<Schema>): Promise<AuthorityRow[]> {
  return db.selectFrom('authorities').selectAll().orderBy('created_at').orderBy('id').execute();
}

/** Disables an enabled authority; false when it is unknown or already disabled. */
export async function disableAuthority(db: Kysely<Schema>, id: string, at: number, by: string): Promise<boolean> {
  const result = await db
    .updateTable('authorities')
    .set({ disabled_at: at, disabled_by: by })
    .where('id', '=', id)
    .where('disabled_at', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Remembers a nonce; throws a unique violation when the authority used it already. */
export async function insertNonce(db: Kysely<Schema>, authorityId: string, nonce: string, expiresAt: number) {
  await db.insertInto('authority_nonces').values({ authority_id: authorityId, nonce, expires_at: expiresAt }).execute();
}

export async function deleteExpiredNonces(db: Kysely<Schema>, now: number): Promise<void> {
  await db.deleteFrom('authority_nonces').where('expires_at', '<', now).execute();
}
