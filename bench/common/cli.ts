import { loadavg } from 'node:os';

/** Prints a line of the report. */
export function log(line: string): void {
  process.stdout.write(`${line}\n`);
}

/** The machine's load averages over 1, 5 and 15 minutes, for the report. */
export function loadAverage(): string {
  return loadavg()
    .map((l) => l.toFixed(2))
    .join(', ');
}

/** Reads the whole-number option `--name` of `parseArgs`'s values, refusing one outside `min..max`. */
export function integerOption<K extends string>(
  values: Partial<Record<K, string | boolean | undefined>>,
  name: K,
  min: number,
  max: number,
): number {
  const n = Number(values[name]);
  if (!Number.isInteger(n) || n < min || n > max) throw new Error(`--${name} must be an integer in ${min}..${max}`);
  return n;
}
