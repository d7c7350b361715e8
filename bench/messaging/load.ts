/**
 * The two workloads of the messaging benchmark, over any set of clients:
 * - closed loop: each device keeps `window` messages in flight to its peer, and sends the next one as soon as
 *   one of its own is received (as fast as the window allows);
 * - open loop: a fixed total rate, spread round-robin over the devices, whatever the target's speed.
 * A message is delivered when the peer's socket receives it; latency is from the start of its send.
 * Every loop is bounded in time and in count; after the measured time, in-flight messages get a bounded drain.
 */
import { randomBytes } from 'node:crypto';
import type { Client, DeviceEvents } from './clients';

export interface PhaseOptions {
  kind: 'closed' | 'open';
  warmupMs: number;
  measureMs: number;
  /** Closed loop: messages in flight per device. */
  window: number;
  /** Open loop: messages a second, in total. */
  rate: number;
  /** How long in-flight messages may take to arrive once sending stops. */
  drainMs: number;
  /** A ceiling on sends in one phase, whatever happens. */
  maxMessages: number;
}

export interface PhaseResult {
  sent: number;
  /** Acknowledged by the target (Signet: durably stored); relays acknowledge nothing. */
  accepted: number;
  delivered: number;
  /** Every delivery of the phase, warm-up and drain included, and how long the phase took: for CPU per message. */
  deliveredAll: number;
  wallSeconds: number;
  /** Deliveries during the measured time, per second. */
  rate: number;
  p50: number;
  p99: number;
  max: number;
  failed: number;
  /** Open loop: sends skipped because too many were in flight. */
  skipped: number;
  /** Measured messages still undelivered after the drain. */
  lost: number;
  failures: Map<string, number>;
}

interface InFlight {
  sender: number;
  start: number;
  measured: boolean;
}

/** Pre-encrypted payloads: random bytes, base64url, as ciphertext would be. */
export function payloads(bytes: number, count = 64): string[] {
  return Array.from({ length: count }, () => randomBytes(bytes).toString('base64url'));
}

/** Tracks every message in flight through one target, across phases; clients report to it. */
export class Workload implements DeviceEvents {
  private readonly inFlight = new Map<string, InFlight>();
  /** Sends not yet acknowledged by the target, and whether each is measured; an ack may come after delivery. */
  private readonly unacknowledged = new Map<string, boolean>();
  /** Per device, the number of its last message: client message ids stay unique across phases. */
  private readonly counters: number[];
  private clients: Client[] = [];
  private phase: Phase | undefined;

  constructor(
    devices: number,
    private readonly bodies: string[],
    /** Whether the target acknowledges sends (Signet does once stored; a relay does not). */
    private readonly acknowledges: boolean,
  ) {
    this.counters = new Array(devices).fill(0);
  }

  /** The clients, connected with this workload as their events' listener. */
  attach(clients: Client[]): void {
    this.clients = clients;
  }

  received(clientMessageId: string): void {
    const entry = this.inFlight.get(clientMessageId);
    if (!entry) return;
    this.inFlight.delete(clientMessageId);
    const now = performance.now();
    this.phase?.delivered(entry, now);
  }

  accepted(clientMessageId: string): void {
    const measured = this.unacknowledged.get(clientMessageId);
    if (measured === undefined) return;
    this.unacknowledged.delete(clientMessageId);
    if (measured) this.phase?.accepted();
  }

  failed(clientMessageId: string, why: string): void {
    this.unacknowledged.delete(clientMessageId);
    const entry = this.inFlight.get(clientMessageId);
    if (!entry) return;
    this.inFlight.delete(clientMessageId);
    this.phase?.failed(entry, why);
  }

  get pending(): number {
    return this.inFlight.size;
  }

  async run(options: PhaseOptions): Promise<PhaseResult> {
    const phase = new Phase(options, (sender) => this.fire(sender), this.clients.length);
    this.phase = phase;
    try {
      await phase.run(() => this.inFlight.size);
    } finally {
      this.phase = undefined;
    }
    // What has not arrived by now counts as lost, and is forgotten so that it cannot count in the next phase.
    const lost = [...this.inFlight.values()].filter((e) => e.measured).length;
    this.inFlight.clear();
    this.unacknowledged.clear();
    return phase.result(lost);
  }

  /** Starts one send from this device to its peer. */
  private fire(sender: number): void {
    const n = (this.counters[sender] as number) + 1;
    this.counters[sender] = n;
    const id = `b${sender.toString(36)}-${n.toString(36)}`;
    const start = performance.now();
    const measured = this.phase?.measuring(start) ?? false;
    this.inFlight.set(id, { sender, start, measured });
    if (this.acknowledges) this.unacknowledged.set(id, measured);
    (this.clients[sender] as Client).send(id, this.bodies[n % this.bodies.length] as string);
  }
}

/** One phase: drives the sends, counts what happens to them. */
class Phase {
  private readonly latencies: number[] = [];
  private sent = 0;
  private acceptedCount = 0;
  private deliveredCount = 0;
  private deliveredInWindow = 0;
  private deliveredAll = 0;
  private wallMs = 0;
  private failedCount = 0;
  private skipped = 0;
  private fired = 0;
  private readonly failures = new Map<string, number>();
  private t0 = 0;
  private t1 = 0;
  private sending = false;

  constructor(
    private readonly options: PhaseOptions,
    private readonly fire: (sender: number) => void,
    private readonly devices: number,
  ) {}

  measuring(at: number): boolean {
    return at >= this.t0 && at < this.t1;
  }

  delivered(entry: InFlight, now: number): void {
    if (entry.measured) {
      this.deliveredCount += 1;
      this.latencies.push(now - entry.start);
    }
    if (this.measuring(now)) this.deliveredInWindow += 1;
    this.deliveredAll += 1;
    if (this.options.kind === 'closed') this.next(entry.sender);
  }

  accepted(): void {
    this.acceptedCount += 1;
  }

  failed(entry: InFlight, why: string): void {
    if (entry.measured) this.failedCount += 1;
    this.failures.set(why, (this.failures.get(why) ?? 0) + 1);
    // A refused send frees its slot a little later, so that a failing target is not hammered in a loop.
    if (this.options.kind === 'closed') setTimeout(() => this.next(entry.sender), 10).unref();
  }

  async run(pending: () => number): Promise<void> {
    const { warmupMs, measureMs, drainMs, kind } = this.options;
    const start = performance.now();
    this.t0 = start + warmupMs;
    this.t1 = this.t0 + measureMs;
    this.sending = true;
    const stopAt = this.t1;
    if (kind === 'closed') {
      for (let w = 0; w < this.options.window; w++) for (let d = 0; d < this.devices; d++) this.next(d);
      await sleep(stopAt - performance.now());
    } else {
      await this.openLoop(start, stopAt, pending);
    }
    this.sending = false;
    const drainUntil = performance.now() + drainMs;
    while (pending() > 0 && performance.now() < drainUntil) await sleep(20);
    this.wallMs = performance.now() - start;
  }

  result(lost: number): PhaseResult {
    const sorted = Float64Array.from(this.latencies).sort();
    const at = (q: number) =>
      sorted.length ? (sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number) : NaN;
    return {
      sent: this.sent,
      accepted: this.acceptedCount,
      delivered: this.deliveredCount,
      deliveredAll: this.deliveredAll,
      wallSeconds: this.wallMs / 1000,
      rate: this.deliveredInWindow / (this.options.measureMs / 1000),
      p50: at(0.5),
      p99: at(0.99),
      max: sorted.length ? (sorted[sorted.length - 1] as number) : NaN,
      failed: this.failedCount,
      skipped: this.skipped,
      lost,
      failures: this.failures,
    };
  }

  private next(sender: number): void {
    if (!this.sending || this.fired >= this.options.maxMessages) return;
    this.fired += 1;
    if (this.measuring(performance.now())) this.sent += 1;
    this.fire(sender);
  }

  /** Sends on schedule: the k-th message is due at start + k / rate, from device k mod C. */
  private async openLoop(start: number, stopAt: number, pending: () => number): Promise<void> {
    const { rate } = this.options;
    // In flight beyond five seconds' worth means the target has fallen hopelessly behind.
    const cap = Math.max(1000, rate * 5);
    let k = 0;
    while (performance.now() < stopAt && this.fired < this.options.maxMessages) {
      const due = Math.floor(((performance.now() - start) * rate) / 1000);
      for (; k < due; k++) {
        if (pending() >= cap) {
          this.skipped += 1;
          continue;
        }
        this.next(k % this.devices);
      }
      await sleep(1);
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}
