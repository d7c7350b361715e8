import type { Clock, Logger } from '@signet/common';
import type { Broker } from '../adapters/broker/broker';
import type { AuditLog } from '../audit/audit-log';
import type { ServerDatabase } from '../db';
import type { IdentificationGate } from '../identification/gate';
import { DeliveredCursors } from './cursors';
import { NoticeFeed } from './feed';
import { NoticeLive } from './live';
import { Mailings } from './mailings';

export interface MailingServiceDeps {
  db: ServerDatabase;
  clock: Clock;
  audit: AuditLog;
  broker: Broker;
  gate: IdentificationGate;
  log: Logger;
}

/** Official mass mailings, wired once: the authorities' side, the accounts' notices, live push and counts. */
export class MailingService {
  readonly cursors: DeliveredCursors;
  readonly live: NoticeLive;
  readonly mailings: Mailings;
  readonly feed: NoticeFeed;

  constructor({ db, clock, audit, broker, gate, log }: MailingServiceDeps) {
    const logger = log.child({ module: 'mailings' });
    this.cursors = new DeliveredCursors(db, clock, logger);
    this.live = new NoticeLive(db, broker, this.cursors, logger);
    this.mailings = new Mailings(db, clock, audit, this.live, logger);
    this.feed = new NoticeFeed(db, clock, gate);
  }

  /** Stops live push and writes the acknowledgements still held. */
  async close(): Promise<void> {
    this.live.close();
    await this.cursors.close();
  }
}
