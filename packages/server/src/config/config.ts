import { resolve } from 'node:path';
import { DAY, MINUTE } from '@signet/common';
import { DEFAULT_LIMITS, type LimiterName, type Limits } from '../rate-limit/limits';
import type { EnvValues } from './env';
import { ConfigReader, parseDuration } from './reader';

export type SmsConfig =
  | { provider: 'dev' }
  | {
      provider: 'http';
      url: string;
      method: 'POST' | 'PUT' | 'GET';
      /** Body template; `{{to}}`, `{{text}}` and `{{from}}` are replaced (JSON-escaped for JSON bodies). */
      bodyTemplate: string;
      contentType: string;
      authorization?: string | undefined;
      from?: string | undefined;
      timeoutMs: number;
    }
  | {
      provider: 'smpp';
      url: string;
      systemId: string;
      password: string;
      sourceAddr: string;
      timeoutMs: number;
    };

export interface ServerConfig {
  env: 'development' | 'production';
  host: string;
  port: number;
  publicUrl: string;
  dataDir: string;
  database: { url?: string | undefined; sqlitePath: string };
  log: { level: string };
  bodyLimit: number;
  /** Trust X-Forwarded-For from a proxy in front (for per-address limits). */
  trustProxy: boolean;
  sms: SmsConfig;
  phone: {
    defaultRegion: string;
    /** ISO country codes allowed to register; empty: all. */
    allowedCountries: string[];
    /** E.164 prefixes allowed to register; empty: all. */
    allowedPrefixes: string[];
  };
  verification: {
    codeTtlMs: number;
    maxAttempts: number;
    /** Waits before the 1st, 2nd, ... resend; the last repeats. */
    resendWaitsMs: number[];
    maxSends: number;
    /** A verified session must be used for registration within this time. */
    sessionTtlMs: number;
  };
  registrationLock: {
    /** How long an unused account stays protected by its password. */
    lockPeriodMs: number;
    /** Wrong passwords allowed per account per day. */
    maxFailuresPerDay: number;
  };
  limits: Limits;
}

export function buildConfig(env: EnvValues, base?: Partial<ServerConfig>): ServerConfig {
  const r = new ConfigReader(env);
  const mode = r.oneOf('SIGNET_ENV', ['development', 'production'] as const, base?.env ?? 'production');
  const port = r.int('SIGNET_PORT', base?.port ?? 8080, 0, 65535);
  const host = r.string('SIGNET_HOST', base?.host ?? (mode === 'development' ? '127.0.0.1' : '0.0.0.0'));
  const dataDir = resolve(r.string('SIGNET_DATA_DIR', base?.dataDir ?? './data'));

  const config: ServerConfig = {
    env: mode,
    host,
    port,
    publicUrl: r.url('SIGNET_PUBLIC_URL') ?? base?.publicUrl ?? `http://localhost:${port}`,
    dataDir,
    database: {
      url: r.url('SIGNET_DATABASE_URL') ?? base?.database?.url,
      sqlitePath: resolve(dataDir, 'signet.db'),
    },
    log: {
      level: r.oneOf(
        'SIGNET_LOG_LEVEL',
        ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const,
        'info',
      ),
    },
    bodyLimit: r.size('SIGNET_BODY_LIMIT', 64 * 1024),
    trustProxy: r.bool('SIGNET_TRUST_PROXY', false),
    sms: readSms(r, mode),
    phone: {
      defaultRegion: r.string('SIGNET_DEFAULT_REGION', 'RU').toUpperCase(),
      allowedCountries: r.list('SIGNET_ALLOWED_COUNTRIES').map((c) => c.toUpperCase()),
      allowedPrefixes: r.list('SIGNET_ALLOWED_PREFIXES'),
    },
    verification: {
      codeTtlMs: r.duration('SIGNET_CODE_TTL', 10 * MINUTE),
      maxAttempts: r.int('SIGNET_CODE_MAX_ATTEMPTS', 5, 1, 100),
      resendWaitsMs: [1, 2, 5, 10].map((m) => m * MINUTE),
      maxSends: r.int('SIGNET_CODE_MAX_SENDS', 5, 1, 20),
      sessionTtlMs: r.duration('SIGNET_VERIFICATION_SESSION_TTL', 60 * MINUTE),
    },
    registrationLock: {
      lockPeriodMs: r.duration('SIGNET_REGISTRATION_LOCK_PERIOD', 7 * DAY),
      maxFailuresPerDay: r.int('SIGNET_PASSWORD_MAX_FAILURES', 10, 1, 1000),
    },
    limits: readLimits(r),
  };
  for (const p of config.phone.allowedPrefixes) {
    if (!/^\+[1-9][0-9]{0,14}$/.test(p))
      r.fail(`SIGNET_ALLOWED_PREFIXES: ${p} is not an E.164 prefix such as +7 or +4420`);
  }
  for (const c of config.phone.allowedCountries) {
    if (!/^[A-Z]{2}$/.test(c)) r.fail(`SIGNET_ALLOWED_COUNTRIES: ${c} is not a two-letter country code`);
  }
  r.done();
  return { ...config, ...stripUndefined(base ?? {}) } as ServerConfig;
}

function readSms(r: ConfigReader, mode: 'development' | 'production'): SmsConfig {
  const provider = r.oneOf(
    'SIGNET_SMS_PROVIDER',
    ['dev', 'http', 'smpp'] as const,
    mode === 'development' ? 'dev' : 'http',
  );
  if (provider === 'dev') {
    if (mode === 'production') r.fail('SIGNET_SMS_PROVIDER=dev is for development only (SIGNET_ENV=development)');
    return { provider };
  }
  const timeoutMs = r.duration('SIGNET_SMS_TIMEOUT', 10_000);
  if (provider === 'http') {
    const url = r.url('SIGNET_SMS_HTTP_URL') ?? r.require('SIGNET_SMS_HTTP_URL', 'for SIGNET_SMS_PROVIDER=http') ?? '';
    return {
      provider,
      url,
      method: r.oneOf('SIGNET_SMS_HTTP_METHOD', ['POST', 'PUT', 'GET'] as const, 'POST'),
      bodyTemplate: r.string('SIGNET_SMS_HTTP_BODY', '{"to":"{{to}}","text":"{{text}}"}'),
      contentType: r.string('SIGNET_SMS_HTTP_CONTENT_TYPE', 'application/json'),
      authorization: r.string('SIGNET_SMS_HTTP_AUTHORIZATION'),
      from: r.string('SIGNET_SMS_FROM'),
      timeoutMs,
    };
  }
  return {
    provider,
    url: r.url('SIGNET_SMPP_URL') ?? r.require('SIGNET_SMPP_URL', 'for SIGNET_SMS_PROVIDER=smpp') ?? '',
    systemId: r.require('SIGNET_SMPP_SYSTEM_ID', 'for SIGNET_SMS_PROVIDER=smpp') ?? '',
    password: r.require('SIGNET_SMPP_PASSWORD', 'for SIGNET_SMS_PROVIDER=smpp') ?? '',
    sourceAddr: r.string('SIGNET_SMS_FROM', 'Signet'),
    timeoutMs,
  };
}

function readLimits(r: ConfigReader): Limits {
  const limits = { ...DEFAULT_LIMITS } as Limits;
  for (const name of Object.keys(DEFAULT_LIMITS) as LimiterName[]) {
    const key = `SIGNET_LIMIT_${name.toUpperCase().replaceAll('-', '_')}`;
    const raw = r.string(key);
    if (raw === undefined) continue;
    const [count, period] = raw.split('/');
    const periodMs = period ? parseDuration(period) : undefined;
    if (!count || !/^\d+$/.test(count) || periodMs === undefined || periodMs === 0) {
      r.fail(`${key}=${raw}: expected count/period such as 5/1h`);
      continue;
    }
    limits[name] = { count: Number(count), periodMs };
  }
  return limits;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
