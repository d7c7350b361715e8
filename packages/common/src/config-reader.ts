/** Flat variables as read once from the environment. */
export type EnvValues = Readonly<Record<string, string>>;

/** Every problem of a configuration, named at once. */
export class ConfigError extends Error {
  constructor(
    readonly problems: string[],
    subject = 'configuration',
  ) {
    super(`invalid ${subject}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const DURATION = /^(\d+)(ms|s|m|h|d)$/;
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const SIZE = /^(\d+)(b|kb|mb|gb)?$/i;
const UNIT_BYTES: Record<string, number> = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 };

/** Reads typed values out of the flat variables, collecting every problem before failing once. */
export class ConfigReader {
  readonly problems: string[] = [];

  constructor(
    private readonly env: EnvValues,
    private readonly makeError: (problems: string[]) => ConfigError = (p) => new ConfigError(p),
  ) {}

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
    if (!/^-?\d+$/.test(raw) || n < min || n > max) {
      this.problems.push(`${name}=${raw}: expected a whole number from ${min} to ${max}`);
      return fallback;
    }
    return n;
  }

  bool(name: string, fallback: boolean): boolean {
    const raw = this.env[name];
    if (raw === undefined) return fallback;
    if (['1', 'true', 'yes', 'on'].includes(raw.toLowerCase())) return true;
    if (['0', 'false', 'no', 'off'].includes(raw.toLowerCase())) return false;
    this.problems.push(`${name}=${raw}: expected true or false`);
    return fallback;
  }

  /** A duration such as `500ms`, `30s`, `20m`, `24h`, `7d` (or `0`); returned in milliseconds. */
  duration(name: string, fallbackMs: number): number {
    const raw = this.env[name];
    if (raw === undefined) return fallbackMs;
    const parsed = parseDuration(raw);
    if (parsed === undefined) {
      this.problems.push(`${name}=${raw}: expected a duration such as 0, 500ms, 30s, 20m, 24h or 7d`);
      return fallbackMs;
    }
    return parsed;
  }

  /** A size such as `64kb` or `10mb`; returned in bytes. */
  size(name: string, fallback: number): number {
    const raw = this.env[name];
    if (raw === undefined) return fallback;
    const m = SIZE.exec(raw.trim());
    if (!m) {
      this.problems.push(`${name}=${raw}: expected a size such as 64kb or 10mb`);
      return fallback;
    }
    return Number(m[1]) * (UNIT_BYTES[(m[2] ?? 'b').toLowerCase()] ?? 1);
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
    if (isUrl(raw)) return raw;
    this.problems.push(`${name}=${raw}: expected a URL`);
    return undefined;
  }

  require(name: string, why: string): string | undefined {
    const raw = this.env[name];
    if (raw === undefined) this.problems.push(`${name} is required ${why}`);
    return raw;
  }

  fail(problem: string): void {
    this.problems.push(problem);
  }

  done(): void {
    if (this.problems.length > 0) throw this.makeError(this.problems);
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
