import { DAY, HOUR, MINUTE, SECOND } from '@signet/common';

export interface Bucket {
  /** Inclusive upper bound in milliseconds; null for the last, open bucket. */
  upToMs: number | null;
  label: string;
  count: number;
}

/** Counts values into buckets bounded by `bounds` (each inclusive), with one open bucket past the last. */
export function histogram(values: readonly number[], bounds: readonly number[]): Bucket[] {
  const sorted = [...new Set(bounds)].sort((a, b) => a - b);
  const buckets: Bucket[] = sorted.map((b) => ({ upToMs: b, label: `≤ ${formatDuration(b)}`, count: 0 }));
  const last = sorted.at(-1);
  buckets.push({ upToMs: null, label: last === undefined ? 'all' : `> ${formatDuration(last)}`, count: 0 });
  for (const v of values) {
    const i = sorted.findIndex((b) => v <= b);
    const bucket = buckets[i === -1 ? buckets.length - 1 : i];
    if (bucket) bucket.count++;
  }
  return buckets;
}

/** A short human duration: `850 ms`, `5 s`, `20 min`, `2 h`, `1 d 2 h`. */
export function formatDuration(ms: number): string {
  if (ms < SECOND) return `${Math.round(ms)} ms`;
  if (ms < MINUTE) return `${trim(ms / SECOND)} s`;
  if (ms < HOUR) return `${trim(ms / MINUTE)} min`;
  // Hours up to two days: the notice limit reads as the law words it, 24 h.
  if (ms < 2 * DAY) return `${trim(ms / HOUR)} h`;
  const days = Math.floor(ms / DAY);
  const hours = Math.round((ms - days * DAY) / HOUR);
  return hours > 0 ? `${days} d ${hours} h` : `${days} d`;
}

function trim(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(1);
}

/** A share as a fraction with four decimals, or null when there is nothing to share. */
export function share(part: number, whole: number): number | null {
  return whole === 0 ? null : Math.round((part / whole) * 10_000) / 10_000;
}
