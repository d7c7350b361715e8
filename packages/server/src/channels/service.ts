import type { Clock, Logger } from '@signet/common';
import type { Broker } from '../adapters/broker/broker';
import type { ServerDatabase } from '../db';
import type { IdentificationGate } from '../identification/gate';
import type { RateLimiters } from '../rate-limit/registry';
import { ChannelDirectory } from './directory';
import { ChannelFollows } from './follows';
import { ChannelLive } from './live';
import { ChannelPosts, type FingerprintCheck } from './posts';
import { ChannelRestrictions } from './restrictions';

export interface ChannelServiceDeps {
  db: ServerDatabase;
  clock: Clock;
  gate: IdentificationGate;
  limiters: RateLimiters;
  broker: Broker;
  log: Logger;
  /** Refuses new posts whose fingerprint an order blocks; none by default. */
  fingerprintBlocked?: FingerprintCheck;
}

/** Public channels, wired once: directory, follows, posts, live push, and the calls restriction orders make. */
export class ChannelService {
  readonly live: ChannelLive;
  readonly directory: ChannelDirectory;
  readonly follows: ChannelFollows;
  readonly posts: ChannelPosts;
  readonly restrictions: ChannelRestrictions;

  constructor({ db, clock, gate, limiters, broker, log, fingerprintBlocked }: ChannelServiceDeps) {
    this.live = new ChannelLive(db, broker, log.child({ module: 'channels' }));
    this.directory = new ChannelDirectory(db, clock, gate, limiters, this.live);
    this.follows = new ChannelFollows(db, clock, gate, this.live);
    this.posts = new ChannelPosts(db, clock, gate, limiters, this.live, fingerprintBlocked);
    this.restrictions = new ChannelRestrictions(db, clock, this.live);
  }
}
