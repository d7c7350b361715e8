import type { Channel, ChannelPost } from '@signet/protocol';
import type { Kysely } from 'kysely';
import type { Schema } from '../db';
import { ApiError, notFound } from '../errors';
import { type ChannelPostRow, type ChannelRow, findChannel } from './channel-store';

/** A channel restricted by an authority's order: 451, Unavailable For Legal Reasons. */
export const restricted = (message: string) => new ApiError(451, 'RESTRICTED', message);

/** The channel `ref` names as `viewer` may see it: 404 when there is none, 451 when restricted (but to its owner). */
export async function visibleChannel(db: Kysely<Schema>, ref: string, viewer: string): Promise<ChannelRow> {
  const row = await findChannel(db, ref);
  if (!row) throw notFound(`no channel ${ref}`);
  if (row.status === 'restricted' && row.owner_id !== viewer) {
    throw restricted(`the channel ${ref} is restricted by an authority's order`);
  }
  return row;
}

export async function existingChannel(db: Kysely<Schema>, ref: string): Promise<ChannelRow> {
  const row = await findChannel(db, ref);
  if (!row) throw notFound(`no channel ${ref}`);
  return row;
}

export function channelView(row: ChannelRow, viewer: string, following: boolean): Channel {
  return {
    channelId: row.id,
    handle: `@${row.handle}`,
    name: row.name,
    description: row.description,
    public: true,
    encrypted: false,
    status: row.status,
    followers: Number(row.follower_count),
    createdAt: Number(row.created_at),
    following,
    owned: row.owner_id === viewer,
  };
}

export function postView(row: ChannelPostRow): ChannelPost {
  return {
    postId: Number(row.id),
    channelId: row.channel_id,
    text: row.text,
    contentSha256: row.content_sha256,
    public: true,
    encrypted: false,
    status: row.status,
    createdAt: Number(row.created_at),
  };
}
