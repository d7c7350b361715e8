import type { Clock, Logger } from '@signet/common';
import type { AccountNotifier } from '../accounts/notifier';
import type { Broker } from '../adapters/broker/broker';
import type { MessagingConfig } from '../config/config';
import type { ServerDatabase } from '../db';
import type { IdentificationGate } from '../identification/gate';
import { Attachments } from './attachments';
import { Blocks } from './blocks';
import { Conversations } from './conversations';
import { CredentialAuthority } from './credentials';
import { Delivery } from './delivery';
import { KeyDirectory } from './key-directory';
import { removalSigner } from './removals';

/** Messaging, wired once: credentials, key directory, conversations, delivery, blocks, attachments. */
export class MessagingService {
  readonly credentials: CredentialAuthority;
  readonly blocks: Blocks;
  readonly keys: KeyDirectory;
  readonly conversations: Conversations;
  readonly delivery: Delivery;
  readonly attachments: Attachments;

  constructor(
    db: ServerDatabase,
    clock: Clock,
    config: MessagingConfig,
    gate: IdentificationGate,
    broker: Broker,
    notifier: AccountNotifier,
    log: Logger,
  ) {
    this.credentials = new CredentialAuthority(db, clock, gate);
    this.blocks = new Blocks(db, clock);
    this.keys = new KeyDirectory(db, clock, gate, this.blocks);
    this.conversations = new Conversations(db, clock, gate);
    this.delivery = new Delivery(
      db,
      clock,
      {
        maxGroupSize: config.maxGroupSize,
        maxPayload: Math.ceil((config.maxMessageBytes * 4) / 3),
        retentionMs: config.retentionMs,
      },
      gate,
      this.blocks,
      this.conversations,
      broker,
      notifier,
      removalSigner(this.credentials),
      log.child({ module: 'delivery' }),
    );
    this.attachments = new Attachments(db, clock, config, this.conversations, gate);
  }
}
