import { type Clock, createLogger, Database, type Logger, systemClock } from '@signet/common';
import { type EventTransport, fetchTransport } from './adapters/events/transport';
import type { OperatorConfig } from './config/config';
import { migrations, type OperatorDatabase, type OperatorSchema } from './db';
import { sweepIdempotencyKeys } from './idempotency/idempotent';
import { Decider } from './identification/decider';
import { loadCursorKey } from './keys/operator-keys';
import { MessengerDirectory } from './messengers';
import { Composer } from './outbox/composer';
import { Deliverer } from './outbox/deliverer';
import { OutboxWorker } from './outbox/worker';
import { SubscriberManager } from './subscribers/subscriber-manager';

/** What tests (and embedders) may replace: the outside world and time. */
export interface OperatorOverrides {
  clock?: Clock;
  logger?: Logger;
  db?: OperatorDatabase;
  transport?: EventTransport;
}

/** The one application context of the operator service, built once and passed in. */
export class OperatorContext {
  private constructor(
    readonly config: OperatorConfig,
    readonly clock: Clock,
    readonly log: Logger,
    readonly db: OperatorDatabase,
    readonly messengers: MessengerDirectory,
    readonly cursorKey: Buffer,
    readonly subscribers: SubscriberManager,
    readonly worker: OutboxWorker,
  ) {}

  static async fromConfig(config: OperatorConfig, overrides: OperatorOverrides = {}): Promise<OperatorContext> {
    const clock = overrides.clock ?? systemClock;
    const log = overrides.logger ?? createLogger({ level: config.log.level });
    const db =
      overrides.db ??
      Database.open<OperatorSchema>({ url: config.database.url, sqlitePath: config.database.sqlitePath });
    await db.migrate(migrations);
    const cursorKey = await loadCursorKey(db, clock);
    const messengers = new MessengerDirectory(config.messengers);
    const module = (name: string) => log.child({ module: name });
    const worker = new OutboxWorker({
      decider: new Decider({ db, clock, log: module('decider'), servedPrefixes: config.servedPrefixes }),
      composer: new Composer({
        db,
        clock,
        log: module('composer'),
        operatorId: config.operatorId,
        lingerMs: config.events.lingerMs,
      }),
      deliverer: new Deliverer({
        db,
        clock,
        log: module('delivery'),
        messengers,
        transport: overrides.transport ?? fetchTransport(),
        timeoutMs: config.events.timeoutMs,
        concurrency: config.events.concurrency,
      }),
      sweep: (now) => sweepIdempotencyKeys(db, now, config.idempotencyTtlMs),
      clock,
      log: module('worker'),
      pollMs: config.events.pollMs,
      lingerMs: config.events.lingerMs,
    });
    const subscribers = new SubscriberManager({
      db,
      clock,
      log: module('subscribers'),
      onNoticesQueued: () => worker.wake(),
    });
    return new OperatorContext(config, clock, log, db, messengers, cursorKey, subscribers, worker);
  }

  async close(): Promise<void> {
    await this.worker.stop();
    await this.db.close();
  }
}
