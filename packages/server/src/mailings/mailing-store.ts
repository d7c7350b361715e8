import type { DialectName } from '@signet/common';
import type { NoticeAudience } from '@signet/protocol';
import { type Insertable, type Kysely, type Selectable, sql } from 'kysely';
import type { Schema } from '../db';
import type { MailingsTable, NoticeStatesTable } from '../db/schema/mailings';
import { disjointPrefixes, numberInAudience, prefixRange } from './audience';

export type MailingRow = Selectable<MailingsTable>;
export type NoticeStateRow = Selectable<NoticeStatesTable>;

/** A mailing with the name and key of the authority that signed it. */
export type SignedMailingRow = MailingRow & { authority_name: string; public_key: string };

export async function insertMailing(db: Kysely<Schema>, row: Insertable<MailingsTable>): Promise<number> {
  const { id } = await db.insertInto('mailings').values(row).returning('id').executeTakeFirstOrThrow();
  return Number(id);
}

export async function getMailing(db: Kysely<Schema>, id: number): Promise<MailingRow | undefined> {
  return db.selectFrom('mailings').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findBySignature(db: Kysely<Schema>, signature: string): Promise<MailingRow | undefined> {
  return db.selectFrom('mailings').selectAll().where('signature', '=', signature).executeTakeFirst();
}

/** An authority's mailings, newest first, before the cursor. */
export async function mailingsOf(
  db: Kysely<Schema>,
  authorityId: string,
  before: number | undefined,
  limit: number,
): Promise<MailingRow[]> {
  let q = db.selectFrom('mailings').selectAll().where('authority_id', '=', authorityId);
  if (before !== undefined) q = q.where('id', '<', before);
  return q.orderBy('id', 'desc').limit(limit).execute();
}

/** Active mailings after the cursor and sent no earlier than `since`, oldest first, with their signers. */
export async function activeMailingsAfter(
  db: Kysely<Schema>,
  after: number,
  since: number,
  limit: number,
): Promise<SignedMailingRow[]> {
  return db
    .selectFrom('mailings')
    .innerJoin('authorities', 'authorities.id', 'mailings.authority_id')
    .selectAll('mailings')
    .select(['authorities.name as authority_name', 'authorities.public_key'])
    .where('mailings.id', '>', after)
    .where('mailings.sent_at', '>=', since)
    .where('mailings.status', '=', 'active')
    .orderBy('mailings.id')
    .limit(limit)
    .execute();
}

export async function newestMailingId(db: Kysely<Schema>): Promise<number> {
  const row = await db
    .selectFrom('mailings')
    .select((eb) => eb.fn.max('id').as('id'))
    .executeTakeFirst();
  return Number(row?.id ?? 0);
}

export async function withdrawMailing(db: Kysely<Schema>, id: number, at: number): Promise<boolean> {
  const result = await db
    .updateTable('mailings')
    .set({ status: 'withdrawn', withdrawn_at: at })
    .where('id', '=', id)
    .where('status', '=', 'active')
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export async function authorityHasMailings(db: Kysely<Schema>, authorityId: string): Promise<boolean> {
  const row = await db.selectFrom('mailings').select('id').where('authority_id', '=', authorityId).executeTakeFirst();
  return row !== undefined;
}

/**
 * Identified accounts whose number is in the audience now. On SQLite each prefix is counted apart, as a range
 * of the (number, state) index read alone: one query over all of them would gather the matching rows into a
 * set first, which takes seconds for a million. PostgreSQL reads the table once for all the prefixes.
 */
export async function countAudience(db: Kysely<Schema>, dialect: DialectName, audience: NoticeAudience) {
  const count = db
    .selectFrom('accounts')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('state', '=', 'identified');
  if ('all' in audience || dialect !== 'sqlite') {
    return Number((await count.where(numberInAudience(audience, 'phone_number')).executeTakeFirstOrThrow()).n);
  }
  let n = 0;
  for (const prefix of disjointPrefixes(audience.prefixes)) {
    const [from, to] = prefixRange(prefix);
    const row = await count.where('phone_number', '>=', from).where('phone_number', '<', to).executeTakeFirstOrThrow();
    n += Number(row.n);
  }
  return n;
}

/** Accounts in the mailing's audience (created before it was sent) whose cursor has reached it. */
export async function countReached(
  db: Kysely<Schema>,
  mailing: { id: number; sentAt: number; audience: NoticeAudience },
  cursor: 'delivered_up_to' | 'read_up_to',
): Promise<number> {
  const row = await db
    .selectFrom('notice_states')
    .innerJoin('accounts', 'accounts.id', 'notice_states.account_id')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where(`notice_states.${cursor}`, '>=', mailing.id)
    .where('accounts.created_at', '<=', mailing.sentAt)
    .where(numberInAudience(mailing.audience, 'accounts.phone_number'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function getNoticeState(db: Kysely<Schema>, accountId: string): Promise<NoticeStateRow | undefined> {
  return db.selectFrom('notice_states').selectAll().where('account_id', '=', accountId).executeTakeFirst();
}

export interface CursorAdvance {
  accountId: string;
  delivered: number;
  read: number;
}

/**
 * Moves accounts' cursors forward (never back), making their rows on first use. Read implies delivered.
 * The accounts must exist and appear once each.
 */
export async function advanceCursors(db: Kysely<Schema>, rows: readonly CursorAdvance[], now: number): Promise<void> {
  if (rows.length === 0) return;
  await db
    .insertInto('notice_states')
    .values(
      rows.map((r) => ({
        account_id: r.accountId,
        delivered_up_to: Math.max(r.delivered, r.read),
        read_up_to: r.read,
        muted: 0,
        updated_at: now,
      })),
    )
    .onConflict((oc) =>
      oc.column('account_id').doUpdateSet({
        delivered_up_to: sql`case when excluded.delivered_up_to > notice_states.delivered_up_to
          then excluded.delivered_up_to else notice_states.delivered_up_to end`,
        read_up_to: sql`case when excluded.read_up_to > notice_states.read_up_to
          then excluded.read_up_to else notice_states.read_up_to end`,
        updated_at: now,
      }),
    )
    .execute();
}

export async function setMuted(db: Kysely<Schema>, accountId: string, muted: boolean, now: number): Promise<void> {
  const flag = muted ? 1 : 0;
  await db
    .insertInto('notice_states')
    .values({ account_id: accountId, delivered_up_to: 0, read_up_to: 0, muted: flag, updated_at: now })
    .onConflict((oc) => oc.column('account_id').doUpdateSet({ muted: flag, updated_at: now }))
    .execute();
}

/** Of these accounts, the ones that still exist. */
export async function existingAccounts(db: Kysely<Schema>, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db
    .selectFrom('accounts')
    .select('id')
    .where('id', 'in', [...ids])
    .execute();
  return new Set(rows.map((r) => r.id));
}
