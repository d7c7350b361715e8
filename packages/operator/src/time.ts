import { parseInstant } from '@signet/protocol';

/** How the operator writes instants: UTC with milliseconds, always the same for the same time. */
export function formatInstant(ms: number): string {
  return new Date(ms).toISOString();
}

/**
 * Orders two RFC 3339 instants (spec 2: compared as instants); undefined if either is not one. Digits below
 * the millisecond count too.
 */
export function compareInstants(a: string, b: string): number | undefined {
  const x = parseInstant(a);
  const y = parseInstant(b);
  if (!x || !y) return undefined;
  if (x.ms !== y.ms) return x.ms < y.ms ? -1 : 1;
  const width = Math.max(x.subMs.length, y.subMs.length);
  const fx = x.subMs.padEnd(width, '0');
  const fy = y.subMs.padEnd(width, '0');
  return fx === fy ? 0 : fx < fy ? -1 : 1;
}

/** The first whole millisecond at or after the instant, for inclusive lower bounds over millisecond columns. */
export function instantCeilMs(value: string): number | undefined {
  const p = parseInstant(value);
  if (!p) return undefined;
  return p.subMs === '' ? p.ms : p.ms + 1;
}
