import { HOUR, MINUTE, SECOND } from '@signet/common';

/**
 * Waits between delivery attempts (4.2), each counted from the previous attempt: the first attempt goes at
 * once, then these ten-minus-one follow while no 2xx arrives.
 */
export const RETRY_DELAYS_MS: readonly number[] = [
  5 * SECOND,
  5 * MINUTE,
  30 * MINUTE,
  2 * HOUR,
  5 * HOUR,
  10 * HOUR,
  14 * HOUR,
  20 * HOUR,
  24 * HOUR,
];

export const MAX_ATTEMPTS = RETRY_DELAYS_MS.length + 1;

/**
 * When to try again after `attempts` failed attempts, the last at `lastAttemptAt`; null when the schedule is
 * spent. A Retry-After (on 429 and 503) is a floor: never sooner, later if the schedule says so.
 */
export function nextAttemptAt(attempts: number, lastAttemptAt: number, retryAfterMs?: number): number | null {
  const wait = RETRY_DELAYS_MS[attempts - 1];
  if (wait === undefined) return null;
  return lastAttemptAt + Math.max(wait, retryAfterMs ?? 0);
}

/** Retry-After as delay-seconds or an HTTP date, in milliseconds from `now`; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null | undefined, now: number): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * SECOND;
  const date = Date.parse(trimmed);
  return Number.isFinite(date) ? Math.max(0, date - now) : undefined;
}
