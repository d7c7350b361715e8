import { type ExpressionBuilder, type Kysely, type Selectable, sql } from 'kysely';
import type { Schema } from '../db';
import type { RestrictionNoticesTable, RestrictionOrdersTable } from '../db/schema/restrictions';

export type OrderRow = Selectable<RestrictionOrdersTable>;
export type TargetType = RestrictionOrdersTable['target_type'];
export type NoticeInsert = Omit<RestrictionNoticesTable, 'id'>;

/**
 * An order is in force while it is active and its expiry has not come. The janitor marks expired orders a
 * little later; every check reads the expiry itself, so that an order stops at its time on every node.
 * Queries that use it name the orders table `o`.
 */
const inForce = (now: number) => sql<boolean>`o.status = 'active' and (o.expires_at is null or o.expires_at > ${now})`;

export async function insertOrder(db: Kysely<Schema>, row: OrderRow): Promise<void> {
  await db.insertInto('restriction_orders').values(row).execute();
}

export function getOrder(db: Kysely<Schema>, id: string): Promise<OrderRow | undefined> {
  return db.selectFrom('restriction_orders').selectAll().where('id', '=', id).executeTakeFirst();
}

/** One authority's orders, newest first, below `before` (an order id, which sorts by time). */
export function listOrders(
  db: Kysely<Schema>,
  query: { authorityId: string; status?: OrderRow['status'] | undefined; before?: string | undefined; limit: number },
): Promise<OrderRow[]> {
  let q = db.selectFrom('restriction_orders').selectAll().where('authority_id', '=', query.authorityId);
  if (query.status) q = q.where('status', '=', query.status);
  if (query.before) q = q.where('id', '<', query.before);
  return q.orderBy('id', 'desc').limit(query.limit).execute();
}

/** Whether the order is still active, locking its row until the commit (PostgreSQL; SQLite has one writer). */
export async function lockActiveOrder(db: Kysely<Schema>, id: string, lock: boolean): Promise<boolean> {
  let q = db.selectFrom('restriction_orders').select('status').where('id', '=', id);
  if (lock) q = q.forUpdate();
  return (await q.executeTakeFirst())?.status === 'active';
}

/** Ends an active order; false when it is not active any more (another node or request ended it first). */
export async function endOrder(
  db: Kysely<Schema>,
  id: string,
  end: { status: 'revoked' | 'expired'; at: number; by: string; reason: string | null },
): Promise<boolean> {
  const result = await db
    .updateTable('restriction_orders')
    .set({ status: end.status, ended_at: end.at, ended_by: end.by, end_reason: end.reason })
    .where('id', '=', id)
    .where('status', '=', 'active')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function addPostsRestricted(db: Kysely<Schema>, id: string, n: number): Promise<void> {
  if (n === 0) return;
  await db
    .updateTable('restriction_orders')
    .set((eb) => ({ posts_restricted: eb('posts_restricted', '+', n) }))
    .where('id', '=', id)
    .execute();
}

/** The orders in force on a target, oldest first, but one. */
export function ordersInForce(
  db: Kysely<Schema>,
  type: TargetType,
  target: string,
  now: number,
  except?: string,
): Promise<OrderRow[]> {
  let q = db
    .selectFrom('restriction_orders as o')
    .selectAll()
    .where('o.target_type', '=', type)
    .where('o.target', '=', target)
    .where(inForce(now));
  if (except) q = q.where('o.id', '!=', except);
  return q.orderBy('o.id').execute();
}

/** Active orders past their expiry, oldest expiry first. */
export function dueExpiries(db: Kysely<Schema>, now: number, limit: number): Promise<OrderRow[]> {
  return db
    .selectFrom('restriction_orders')
    .selectAll()
    .where('status', '=', 'active')
    .where('expires_at', '<=', now)
    .orderBy('expires_at')
    .limit(limit)
    .execute();
}

/** Fingerprint orders in force issued since `issuedSince`. */
export function fingerprintOrdersInForce(db: Kysely<Schema>, now: number, issuedSince: number): Promise<OrderRow[]> {
  return db
    .selectFrom('restriction_orders as o')
    .selectAll()
    .where('o.target_type', '=', 'content_fingerprint')
    .where('o.issued_at', '>=', issuedSince)
    .where(inForce(now))
    .orderBy('o.id')
    .execute();
}

export async function isFingerprintBlocked(db: Kysely<Schema>, sha256: string, now: number): Promise<boolean> {
  const row = await db
    .selectFrom('restriction_orders as o')
    .select('o.id')
    .where('o.target_type', '=', 'content_fingerprint')
    .where('o.target', '=', sha256.toLowerCase())
    .where(inForce(now))
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * The first order in force on the account among `types`, as a subquery of a read of `accounts`: a send checks
 * the account's state and its orders in one round trip. `account_sending` sorts after `account_reach`, so a
 * suspension is named first when both apply.
 */
export function accountOrderId(
  eb: ExpressionBuilder<Schema, 'accounts'>,
  accountId: string,
  types: readonly TargetType[],
  now: number,
) {
  return eb
    .selectFrom('restriction_orders as o')
    .select('o.id')
    .where('o.target_type', 'in', types)
    .where('o.target', '=', accountId)
    .where(inForce(now))
    .orderBy('o.target_type', 'desc')
    .orderBy('o.id')
    .limit(1);
}

/** Whether an account's reach is limited: its channels leave search, number lookup does not find it. */
export function reachLimited(eb: ExpressionBuilder<Schema, 'channels'>, now: number) {
  return eb.exists(
    eb
      .selectFrom('restriction_orders as o')
      .select('o.id')
      .where('o.target_type', '=', 'account_reach')
      .whereRef('o.target', '=', 'channels.owner_id')
      .where(inForce(now)),
  );
}

export async function isReachLimited(db: Kysely<Schema>, accountId: string, now: number): Promise<boolean> {
  return (await ordersInForce(db, 'account_reach', accountId, now)).length > 0;
}

export async function insertNotices(db: Kysely<Schema>, rows: readonly NoticeInsert[]): Promise<void> {
  if (rows.length > 0)
    await db
      .insertInto('restriction_notices')
      .values([...rows])
      .execute();
}

/** The accounts told of an order. */
export async function noticedAccounts(db: Kysely<Schema>, orderId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('restriction_notices')
    .select('account_id')
    .distinct()
    .where('order_id', '=', orderId)
    .orderBy('account_id')
    .execute();
  return rows.map((r) => r.account_id);
}

/** The notices an account was given, newest first, with their orders. */
export function noticesOf(db: Kysely<Schema>, accountId: string, limit: number) {
  return db
    .selectFrom('restriction_notices as n')
    .innerJoin('restriction_orders as o', 'o.id', 'n.order_id')
    .select([
      'n.order_id',
      'n.restricted',
      'n.notified_at',
      'o.action',
      'o.legal_reference',
      'o.legal_text',
      'o.status',
      'o.expires_at',
      'o.ended_at',
    ])
    .where('n.account_id', '=', accountId)
    .orderBy('n.id', 'desc')
    .limit(limit)
    .execute();
}

/** The audit entries whose subject is the order, in order. */
export function trailOf(db: Kysely<Schema>, orderId: string) {
  return db.selectFrom('audit_log').selectAll().where('subject', '=', orderId).orderBy('seq').execute();
}
