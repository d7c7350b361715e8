import { HOUR, MINUTE, SECOND } from '@signet/common';
import { describe, expect, it } from 'vitest';
import { MAX_ATTEMPTS, nextAttemptAt, parseRetryAfter } from './schedule';

describe('delivery schedule', () => {
  it('waits 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 14 h, 20 h and 24 h after each failed attempt, then stops', () => {
    const waits = [];
    for (let attempts = 1; attempts < MAX_ATTEMPTS; attempts++) waits.push((nextAttemptAt(attempts, 1000) ?? 0) - 1000);
    expect(waits).toEqual([
      5 * SECOND,
      5 * MINUTE,
      30 * MINUTE,
      2 * HOUR,
      5 * HOUR,
      10 * HOUR,
      14 * HOUR,
      20 * HOUR,
      24 * HOUR,
    ]);
    expect(MAX_ATTEMPTS).toBe(10);
    expect(nextAttemptAt(MAX_ATTEMPTS, 1000)).toBeNull();
  });

  it('never retries sooner than Retry-After, and keeps the schedule when that is later', () => {
    expect(nextAttemptAt(1, 0, 60 * SECOND)).toBe(60 * SECOND);
    expect(nextAttemptAt(2, 0, 60 * SECOND)).toBe(5 * MINUTE);
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    const now = Date.parse('2026-11-29T10:00:00Z');
    expect(parseRetryAfter('120', now)).toBe(120 * SECOND);
    expect(parseRetryAfter('Sun, 29 Nov 2026 10:01:00 GMT', now)).toBe(MINUTE);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });
});
