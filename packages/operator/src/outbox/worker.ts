import { type Clock, HOUR, type Logger } from '@signet/common';
import type { Decider } from '../identification/decider';
import type { Composer } from './composer';
import type { Deliverer } from './deliverer';

export interface WorkerRound {
  decided: number;
  composed: number;
  attempted: number;
  delivered: number;
}

/**
 * The loop behind every answer: decides due requests, packs results and notices into events, delivers due
 * events. All its state is in the database, so a restart resumes where it stopped. Tests call runDue()
 * after moving the clock; the service runs it every pollMs and soon after new work arrives.
 */
export class OutboxWorker {
  private tail: Promise<unknown> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  private wakeTimer: NodeJS.Timeout | undefined;
  private lastSweep = Number.NEGATIVE_INFINITY;
  private started = false;

  constructor(
    private readonly deps: {
      decider: Decider;
      composer: Composer;
      deliverer: Deliverer;
      /** Forgets expired idempotency keys. */
      sweep: (now: number) => Promise<number>;
      clock: Clock;
      log: Logger;
      pollMs: number;
      lingerMs: number;
    },
  ) {}

  /** One full round. Rounds never overlap: a call made during a round runs after it. */
  runDue(): Promise<WorkerRound> {
    const round = this.tail.then(() => this.round());
    this.tail = round.catch(() => undefined);
    return round;
  }

  start(): void {
    if (this.started || this.deps.pollMs <= 0) return;
    this.started = true;
    this.timer = setInterval(() => this.runLogged(), this.deps.pollMs);
    this.timer.unref();
    this.runLogged();
  }

  /** New work arrived: run once its linger is over instead of at the next poll. */
  wake(): void {
    if (!this.started || this.wakeTimer) return;
    this.wakeTimer = setTimeout(() => {
      this.wakeTimer = undefined;
      this.runLogged();
    }, this.deps.lingerMs);
    this.wakeTimer.unref();
  }

  /** Stops the loop and waits for the round in progress. */
  async stop(): Promise<void> {
    this.started = false;
    clearInterval(this.timer);
    clearTimeout(this.wakeTimer);
    this.wakeTimer = undefined;
    await this.tail;
  }

  private runLogged(): void {
    this.runDue().catch((error) => this.deps.log.warn({ err: error }, 'worker round failed; will retry'));
  }

  private async round(): Promise<WorkerRound> {
    const now = this.deps.clock.now();
    if (now - this.lastSweep >= HOUR) {
      this.lastSweep = now;
      await this.deps.sweep(now);
    }
    const decided = await this.deps.decider.decideDue();
    const composed = (await this.deps.composer.composeDue()).length;
    const { attempted, delivered } = await this.deps.deliverer.deliverDue();
    return { decided, composed, attempted, delivered };
  }
}
