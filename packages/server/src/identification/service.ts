import { type Clock, type Logger, SECOND } from '@signet/common';
import type { AccountNotifier } from '../accounts/notifier';
import type { IdentificationConfig } from '../config/config';
import type { ServerDatabase } from '../db';
import type { Metrics } from '../metrics';
import { Backfill } from './backfill';
import { OperatorDirectory } from './directory/directory';
import { EventReceiver } from './event-receiver';
import { IdentificationGate } from './gate';
import { IdentificationManager } from './identification-manager';
import { OperatorClient } from './operator-client';
import { Reconciler } from './reconciler';
import { IdentificationSender } from './sender';

export interface IdentificationServiceDeps {
  db: ServerDatabase;
  clock: Clock;
  config: IdentificationConfig;
  notifier: AccountNotifier;
  metrics: Metrics;
  log: Logger;
  fetch?: typeof fetch;
}

/**
 * Everything of operator identification, wired once: the directory, the lifecycle manager, the sender,
 * the event receiver, reconciliation, backfill, and the background loop that drives them.
 */
export class IdentificationService {
  readonly directory: OperatorDirectory;
  readonly manager: IdentificationManager;
  readonly sender: IdentificationSender;
  readonly events: EventReceiver;
  readonly reconciler: Reconciler;
  readonly backfill: Backfill;
  readonly gate: IdentificationGate;
  private timer: NodeJS.Timeout | undefined;
  private kickTimer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private lastReconcile = 0;

  constructor(private readonly deps: IdentificationServiceDeps) {
    const { db, clock, config, log } = deps;
    this.directory = new OperatorDirectory(db, config.operators);
    this.manager = new IdentificationManager({
      ...deps,
      directory: this.directory,
      log: log.child({ module: 'identification' }),
    });
    const client = new OperatorClient(
      clock,
      config.httpTimeoutMs,
      log.child({ module: 'operator-client' }),
      deps.fetch,
    );
    this.sender = new IdentificationSender(
      db,
      clock,
      config,
      this.directory,
      client,
      this.manager,
      log.child({ module: 'sender' }),
    );
    this.events = new EventReceiver(db, clock, this.directory, this.manager, log.child({ module: 'operator-events' }));
    this.reconciler = new Reconciler(
      db,
      clock,
      config,
      this.directory,
      client,
      this.manager,
      log.child({ module: 'reconcile' }),
    );
    this.backfill = new Backfill(db, clock, config, this.manager, log.child({ module: 'backfill' }));
    this.gate = new IdentificationGate(db.db);
  }

  /** Starts the loop: deadlines and sending every second (deadlines hold within 5 s), reconciliation periodically. */
  start(): void {
    this.manager.onRequested = () => this.kick();
    this.lastReconcile = this.deps.clock.now();
    this.timer = setInterval(() => {
      // A tick finding a pass in flight skips: the next one comes in a second.
      if (!this.running) void this.runOnce();
    }, SECOND);
    this.timer.unref();
    this.kick();
  }

  /** Runs soon, after the linger, so that requests recorded together travel in one batch. */
  kick(): void {
    if (this.kickTimer) return;
    this.kickTimer = setTimeout(() => {
      this.kickTimer = undefined;
      void this.runOnce();
    }, this.deps.config.lingerMs);
    this.kickTimer.unref();
  }

  /**
   * One pass of the loop that starts after the call, so that it sees everything done before it (a pass
   * already in flight may have read the clock earlier); never two at once. Tests call it after moving the clock.
   */
  async runOnce(): Promise<void> {
    while (this.running) await this.running;
    this.running = this.pass().finally(() => {
      this.running = undefined;
    });
    await this.running;
  }

  private async pass(): Promise<void> {
    try {
      await this.manager.expireDeadlines();
      await this.sender.runDue();
      await this.reconciler.pollOverdue();
      const now = this.deps.clock.now();
      if (now - this.lastReconcile >= this.deps.config.reconcileIntervalMs) {
        this.lastReconcile = now;
        await this.reconciler.reconcileAll();
      }
    } catch (error) {
      this.deps.log.error({ err: error }, 'identification loop failed; will retry');
    }
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    clearTimeout(this.kickTimer);
    this.kickTimer = undefined;
    await this.running;
  }
}
