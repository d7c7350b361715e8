import { type Kysely, type Selectable, sql } from 'kysely';
import type { Schema } from '../db';
import type { ChannelPostsTable, ChannelsTable } from '../db/schema/channels';
import { reachLimited } from '../restrictions/restriction-store';

export type ChannelRow = Selectable<ChannelsTable>;
export type ChannelPostRow = Selectable<ChannelPostsTable>;

/** Unread counts stop here: the count is a range read, and a follower away for months needs no exact figure. */
export const UNREAD_CAP = 1000;

/** A channel by id, or by handle when `ref` starts with `@`. */
export function findChannel(db: Kysely<Schema>, ref: string): Promise<ChannelRow | undefined> {
  const q = db.selectFrom('channels').selectAll();
  return (
    ref.startsWith('@') ? q.where('handle', '=', ref.slice(1).toLowerCase()) : q.where('id', '=', ref)
  ).executeTakeFirst();
}

/**
 * Active channels matching `pattern` (a LIKE pattern over the lower-case handle and name), most followed first;
 * not those whose owner's reach an order in force at `now` limits.
 */
export function searchChannels(
  db: Kysely<Schema>,
  pattern: string | undefined,
  limit: number,
  now: number,
): Promise<ChannelRow[]> {
  let q = db
    .selectFrom('channels')
    .selectAll()
    .where('status', '=', 'active')
    .where((eb) => eb.not(reachLimited(eb, now)));
  // An explicit escape character: SQLite has none by default, PostgreSQL's is the same backslash.
  if (pattern !== undefined) q = q.where(sql<boolean>`search_text like ${pattern} escape '\\'`);
  return q.orderBy('follower_count', 'desc').orderBy('created_at').limit(limit).execute();
}

export async function isFollowing(db: Kysely<Schema>, channelId: string, accountId: string): Promise<boolean> {
  const row = await db
    .selectFrom('channel_follows')
    .select('channel_id')
    .where('channel_id', '=', channelId)
    .where('account_id', '=', accountId)
    .executeTakeFirst();
  return row !== undefined;
}

/** Of these channels, the ones the account follows. */
export async function followedAmong(db: Kysely<Schema>, accountId: string, channelIds: string[]): Promise<Set<string>> {
  if (channelIds.length === 0) return new Set();
  const rows = await db
    .selectFrom('channel_follows')
    .select('channel_id')
    .where('account_id', '=', accountId)
    .where('channel_id', 'in', channelIds)
    .execute();
  return new Set(rows.map((r) => r.channel_id));
}

export async function followedChannelIds(db: Kysely<Schema>, accountId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('channel_follows')
    .select('channel_id')
    .where('account_id', '=', accountId)
    .execute();
  return rows.map((r) => r.channel_id);
}

export async function countFollows(db: Kysely<Schema>, accountId: string): Promise<number> {
  const row = await db
    .selectFrom('channel_follows')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('account_id', '=', accountId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The newest visible post's id, or 0. */
export async function lastVisiblePostId(db: Kysely<Schema>, channelId: string): Promise<number> {
  const row = await db
    .selectFrom('channel_posts')
    .select('id')
    .where('channel_id', '=', channelId)
    .where('status', '=', 'visible')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? Number(row.id) : 0;
}

/**
 * The account's followed channels with, for each, the visible posts past its read cursor (counted up to
 * UNREAD_CAP) and the time of the newest visible post: one range read of the posts index per channel.
 */
export function followedWithUnread(db: Kysely<Schema>, accountId: string) {
  return db
    .selectFrom('channel_follows as f')
    .innerJoin('channels as c', 'c.id', 'f.channel_id')
    .selectAll('c')
    .select(['f.read_post_id', 'f.followed_at'])
    .select((eb) =>
      eb
        .selectFrom((sub) =>
          sub
            .selectFrom('channel_posts as p')
            .select('p.id')
            .whereRef('p.channel_id', '=', 'f.channel_id')
            .whereRef('p.id', '>', 'f.read_post_id')
            .where('p.status', '=', 'visible')
            .limit(UNREAD_CAP)
            .as('u'),
        )
        .select((e) => e.fn.countAll<number>().as('n'))
        .as('unread'),
    )
    .select((eb) =>
      eb
        .selectFrom('channel_posts as p')
        .select('p.created_at')
        .whereRef('p.channel_id', '=', 'f.channel_id')
        .where('p.status', '=', 'visible')
        .orderBy('p.id', 'desc')
        .limit(1)
        .as('last_post_at'),
    )
    .where('f.account_id', '=', accountId)
    .orderBy('f.followed_at')
    .execute();
}

export interface PostPageQuery {
  channelId: string;
  /** Newest first below this id, or oldest first above `after`. */
  before?: number | undefined;
  after?: number | undefined;
  limit: number;
  /** The owner also sees restricted posts. */
  includeRestricted: boolean;
}

export function postPage(db: Kysely<Schema>, query: PostPageQuery): Promise<ChannelPostRow[]> {
  let q = db.selectFrom('channel_posts').selectAll().where('channel_id', '=', query.channelId);
  if (!query.includeRestricted) q = q.where('status', '=', 'visible');
  if (query.after !== undefined) return q.where('id', '>', query.after).orderBy('id').limit(query.limit).execute();
  if (query.before !== undefined) q = q.where('id', '<', query.before);
  return q.orderBy('id', 'desc').limit(query.limit).execute();
}

export function findPost(db: Kysely<Schema>, postId: number): Promise<ChannelPostRow | undefined> {
  return db.selectFrom('channel_posts').selectAll().where('id', '=', postId).executeTakeFirst();
}
