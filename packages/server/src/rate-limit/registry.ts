import type { Clock } from '@signet/common';
import { tooManyRequests } from '../errors';
import type { Limit, LimiterName, Limits } from './limits';

/** Where buckets live. In memory for one node; a shared store for several. */
export interface BucketStore {
  get(key: string): Bucket | undefined;
  set(key: string, bucket: Bucket): void;
  delete(key: string): void;
}

export interface Bucket {
  tokens: number;
  updatedAt: number;
}

/** An in-memory store that forgets the least recently touched buckets past a bound. */
export class MemoryBucketStore implements BucketStore {
  private readonly buckets = new Map<string, Bucket>();

  constructor(private readonly maxKeys = 200_000) {}

  get(key: string): Bucket | undefined {
    return this.buckets.get(key);
  }

  set(key: string, bucket: Bucket): void {
    this.buckets.delete(key);
    this.buckets.set(key, bucket);
    if (this.buckets.size > this.maxKeys) {
      const oldest = this.buckets.keys().next().value;
      if (oldest !== undefined) this.buckets.delete(oldest);
    }
  }

  delete(key: string): void {
    this.buckets.delete(key);
  }
}

/** One limiter: a token bucket per key, refilled evenly over the limit's period. */
export class RateLimiter {
  constructor(
    readonly name: LimiterName,
    readonly limit: Limit,
    private readonly store: BucketStore,
    private readonly clock: Clock,
  ) {}

  /** Takes one token for `key`, or throws a 429 that says when one will be free. */
  consume(key: string, cost = 1): void {
    const wait = this.tryConsume(key, cost);
    if (wait > 0) throw tooManyRequests(wait, `too many requests (${this.name}); try again later`);
  }

  /** Takes `cost` tokens if it can and answers 0; otherwise answers how many ms until it could. */
  tryConsume(key: string, cost = 1): number {
    const now = this.clock.now();
    const k = `${this.name}:${key}`;
    const { count, periodMs } = this.limit;
    const ratePerMs = count / periodMs;
    const bucket = this.store.get(k) ?? { tokens: count, updatedAt: now };
    const tokens = Math.min(count, bucket.tokens + (now - bucket.updatedAt) * ratePerMs);
    if (tokens >= cost) {
      this.store.set(k, { tokens: tokens - cost, updatedAt: now });
      return 0;
    }
    return Math.ceil((cost - tokens) / ratePerMs);
  }

  reset(key: string): void {
    this.store.delete(`${this.name}:${key}`);
  }
}

/** The one registry of named limiters. */
export class RateLimiters {
  private readonly limiters: Map<LimiterName, RateLimiter>;

  constructor(limits: Limits, clock: Clock, store: BucketStore = new MemoryBucketStore()) {
    this.limiters = new Map(
      (Object.entries(limits) as [LimiterName, Limit][]).map(([name, limit]) => [
        name,
        new RateLimiter(name, limit, store, clock),
      ]),
    );
  }

  get(name: LimiterName): RateLimiter {
    const limiter = this.limiters.get(name);
    if (!limiter) throw new Error(`no limiter named ${name}`);
    return limiter;
  }
}
