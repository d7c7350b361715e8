import { type Clock, type Logger, SECOND } from '@signet/common';
import type { AccountNotifier } from '../accounts/notifier';
import type { AuditLog } from '../audit/audit-log';
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
  audit: AuditLog;
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
  /** Deadlines, batching and starting sends: database work only, so that it holds the 5 s of 4.1 and 4.3. */
  private readonly sending: Lane;
  /** Polling and reconciliation, which wait on operators: apart, so that a slow operator holds up neither. */
  private readonly repairing: Lane;
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
    this.gate = new IdentificationGate(db.db, clock);
    const loopLog = log.child({ module: 'identification-loop' });
    this.sending = new Lane('sending', loopLog, async () => {
      await this.manager.expireDeadlines();
      await this.sender.runDue();
    });
    this.repairing = new Lane('repairs', loopLog, async () => {
      await this.reconciler.pollOverdue();
      const now = this.deps.clock.now();
      if (now - this.lastReconcile >= this.deps.config.reconcileIntervalMs) {
        this.lastReconcile = now;
        await this.reconciler.reconcileAll();
      }
    });
  }

  /** Starts the loop: deadlines and sending every second (deadlines hold within 5 s), polling and reconciliation beside them. */
  start(): void {
    this.manager.onRequested = () => this.kick();
    this.sender.onSent = () => this.kick();
    this.lastReconcile = this.deps.clock.now();
    this.timer = setInterval(() => {
      this.sending.tick();
      this.repairing.tick();
    }, SECOND);
    this.timer.unref();
    this.kick();
  }

  /** Runs soon, after the linger, so that requests recorded together travel in one batch. */
  kick(): void {
    if (this.kickTimer) return;
    this.kickTimer = setTimeout(() => {
      this.kickTimer = undefined;
      void this.sending.run();
    }, this.deps.config.lingerMs);
    this.kickTimer.unref();
  }

  /**
   * One pass of everything the loop does, started after the call (so that it sees a clock moved before
   * it), and the sends it started, done. Tests call it after moving the clock.
   */
  async runOnce(): Promise<void> {
    await this.sending.run();
    await this.repairing.run();
    await this.sender.drain();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    clearTimeout(this.kickTimer);
    this.kickTimer = undefined;
    await this.sending.idle();
    await this.repairing.idle();
    await this.sender.drain();
  }
}

/** A job that never runs twice at once. */
class Lane {
  private current: Promise<void> | undefined;

  constructor(
    private readonly name: string,
    private readonly log: Logger,
    private readonly job: () => Promise<void>,
  ) {}

  /** Runs the job once, after the run in flight if there is one. */
  async run(): Promise<void> {
    while (this.current) await this.current;
    this.current = this.job()
      .catch((error: unknown) =>
        this.log.error({ err: error, lane: this.name }, 'identification loop failed; will retry'),
      )
      .finally(() => {
        this.current = undefined;
      });
    await this.current;
  }

  /** For the timer: skips while a run is in flight, the next tick comes soon. */
  tick(): void {
    if (!this.current) void this.run();
  }

  async idle(): Promise<void> {
    while (this.current) await this.current;
  }
}
