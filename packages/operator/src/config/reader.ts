import type { OperatorEnv } from './env';

export class OperatorConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid operator configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'OperatorConfigError';
  }
}

const DURATION = /^(\d+)(ms|s|m|h|d)$/;
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Reads typed values out of the flat variables, collecting every problem before failing once. */
export class ConfigReader {
  readonly problems: string[] = [];

  constructor(private readonly env: OperatorEnv) {}

  string(name: string, fallback: string): string;
  string(name: string): string | undefined;
  string(name: string, fallback?: string): string | undefined {
    return this.env[name] ?? fallback;
  }

  oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
    const raw = this.env[name];
    if (raw === undefined) return fallback;
    if ((allowed as readonly string[]).includes(raw)) return raw as T;
    this.problems.push(`${name}=${raw}: expected one of ${allowed.join(', ')}`);
    return fallback;
  }

  int(name: string, fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER): number {
    const raw = this.env[name];
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!/^\d+$/.test(raw) || n < min || n > max) {
      this.problems.push(`${name}=${raw}: expected a whole number from ${min} to ${max}`);
      return fallback;
    }
    return n;
  }

  /** A duration such as `500ms`, `30s`, `20m`, `24h`, `7d` (or `0`); returned in milliseconds. */
  duration(name: string, fallbackMs: number): number {
    const raw = this.env[name];
    if (raw === undefined) return fallbackMs;
    const parsed = parseDuration(raw);
    if (parsed === undefined) {
      this.problems.push(`${name}=${raw}: expected a duration such as 0, 500ms, 30s, 20m or 24h`);
      return fallbackMs;
    }
    return parsed;
  }

  list(name: string): string[] {
    const raw = this.env[name];
    if (raw === undefined) return [];
    return raw
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s.length > 0);
  }

  url(name: string): string | undefined {
    const raw = this.env[name];
    if (raw === undefined) return undefined;
    if (!isUrl(raw)) this.problems.push(`${name}=${raw}: expected a URL`);
    return raw;
  }

  fail(problem: string): void {
    this.problems.push(problem);
  }

  done(): void {
    if (this.problems.length > 0) throw new OperatorConfigError(this.problems);
  }
}

export function parseDuration(raw: string): number | undefined {
  if (raw.trim() === '0') return 0;
  const m = DURATION.exec(raw.trim());
  return m ? Number(m[1]) * (UNIT_MS[m[2] as string] ?? 1) : undefined;
}

export function isUrl(raw: string): boolean {
  try {
    new URL(raw);
    return true;
  } catch {
    return false;
  }
}
