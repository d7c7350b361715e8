import { type Clock, HOUR, type Logger } from '@signet/common';
import { MAX_BATCH } from '@signet/protocol';
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
 * after moving the clock; the service runs a step every pollMs and soon after new work arrives.
 *
 * A step of the loop decides one batch and packs it, then leaves the deliveries running beside the next
 * steps: the operator decides the next batch while a messenger applies the last event.
 */
export class OutboxWorker {
  private tail: Promise<unknown> = Promise.resolve();
  private stepQueued = false;
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
    this.timer = setInterval(() => this.schedule(), this.deps.pollMs);
    this.timer.unref();
    this.schedule();
  }

  /** New work arrived: run once its linger is over instead of at the next poll. */
  wake(): void {
    if (!this.started || this.wakeTimer) return;
    this.wakeTimer = setTimeout(() => {
      this.wakeTimer = undefined;
      this.schedule();
    }, this.deps.lingerMs);
    this.wakeTimer.unref();
  }

  /** Stops the loop and waits for the step and the deliveries in progress. */
  async stop(): Promise<void> {
    this.started = false;
    clearInterval(this.timer);
    clearTimeout(this.wakeTimer);
    this.wakeTimer = undefined;
    await this.tail;
    await this.deps.deliverer.idle();
  }

  /** Queues a step after the one in progress, unless one is queued already. */
  private schedule(): void {
    if (!this.started || this.stepQueued) return;
    this.stepQueued = true;
    const step = this.tail.then(() => {
      this.stepQueued = false;
      return this.step();
    });
    this.tail = step.catch((error) => this.deps.log.warn({ err: error }, 'worker round failed; will retry'));
  }

  private async step(): Promise<void> {
    await this.sweepIfDue();
    const decided = await this.deps.decider.decideDue(MAX_BATCH);
    await this.deps.composer.composeDue();
    this.deliver();
    // A full batch: more may be due, so go on now rather than at the next poll.
    if (decided >= MAX_BATCH) this.schedule();
  }

  /** Fills the free delivery slots; each attempt that ends looks again. */
  private deliver(): void {
    if (!this.started) return;
    this.deps.deliverer.startDue().then(
      (attempts) => {
        for (const attempt of attempts) void attempt.then(() => this.deliver());
      },
      (error) => this.deps.log.warn({ err: error }, 'starting deliveries failed; will retry'),
    );
  }

  private async sweepIfDue(): Promise<void> {
    const now = this.deps.clock.now();
    if (now - this.lastSweep >= HOUR) {
      this.lastSweep = now;
      await this.deps.sweep(now);
    }
  }

  private async round(): Promise<WorkerRound> {
    await this.sweepIfDue();
    const decided = await this.deps.decider.decideDue();
    const composed = (await this.deps.composer.composeDue()).length;
    const { attempted, delivered } = await this.deps.deliverer.deliverDue();
    return { decided, composed, attempted, delivered };
  }
}
