import { type Clock, isUniqueViolation, randomId } from '@signet/common';
import type { Channel, CreateChannel } from '@signet/protocol';
import type { AuthenticatedDevice } from '../accounts/account-manager';
import type { ServerDatabase } from '../db';
import { conflict, invalidArgument } from '../errors';
import type { IdentificationGate } from '../identification/gate';
import type { RateLimiters } from '../rate-limit/registry';
import { followedAmong, isFollowing, searchChannels } from './channel-store';
import type { ChannelLive } from './live';
import { channelView, visibleChannel } from './views';

const SEARCH_DEFAULT = 20;
const SEARCH_MAX = 100;

/** Creating, reading and finding public channels. */
export class ChannelDirectory {
  constructor(
    private readonly db: ServerDatabase,
    private readonly clock: Clock,
    private readonly gate: IdentificationGate,
    private readonly limiters: RateLimiters,
    private readonly live: ChannelLive,
  ) {}

  /** Only identified accounts create channels; the owner follows its channel from the start. */
  async create(auth: AuthenticatedDevice, input: CreateChannel): Promise<Channel> {
    const name = input.name.trim();
    if (name === '') throw invalidArgument('a channel needs a name');
    const description = (input.description ?? '').trim();
    const handle = input.handle.replace(/^@/, '').toLowerCase();
    await this.gate.assertCanSend(auth.accountId);
    this.limiters.get('channel-create').consume(auth.accountId);
    const now = this.clock.now();
    const row = {
      id: randomId('ch'),
      handle,
      name,
      description,
      owner_id: auth.accountId,
      status: 'active' as const,
      restriction_ref: null,
      restricted_at: null,
      follower_count: 1,
      search_text: `${handle} ${name.toLowerCase()}`,
      created_at: now,
    };
    try {
      await this.db.transaction(async (tx) => {
        await tx.insertInto('channels').values(row).execute();
        await tx
          .insertInto('channel_follows')
          .values({ channel_id: row.id, account_id: auth.accountId, read_post_id: 0, followed_at: now })
          .execute();
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw conflict(`the handle @${handle} is taken`);
      throw error;
    }
    await this.live.announceFollow(auth.accountId, row.id, true);
    return channelView(row, auth.accountId, true);
  }

  async get(auth: AuthenticatedDevice, ref: string): Promise<Channel> {
    const row = await visibleChannel(this.db.db, ref, auth.accountId);
    return channelView(row, auth.accountId, await isFollowing(this.db.db, row.id, auth.accountId));
  }

  /** Active channels whose handle or name contains `q` (ignoring case), most followed first. */
  async search(auth: AuthenticatedDevice, q: string | undefined, limit: string | undefined): Promise<Channel[]> {
    const text = q?.trim().replace(/^@/, '').toLowerCase();
    const pattern = text ? `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : undefined;
    const n = limit === undefined ? SEARCH_DEFAULT : Math.min(Math.max(Number(limit), 1), SEARCH_MAX);
    const rows = await searchChannels(this.db.db, pattern, n, this.clock.now());
    const following = await followedAmong(
      this.db.db,
      auth.accountId,
      rows.map((r) => r.id),
    );
    return rows.map((r) => channelView(r, auth.accountId, following.has(r.id)));
  }
}
