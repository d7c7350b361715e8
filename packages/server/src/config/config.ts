import { readFileSync } from 'node:fs';
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

/** One operator of the directory (spec section 5). */
export interface OperatorConfig {
  /** The operator's id in this directory; it signs its events with it. */
  id: string;
  name: string;
  /** Where its identification API lives, e.g. https://id.operator.example */
  baseUrl: string;
  /** Shared signing secrets, `whsec_...`; the first signs outgoing requests, any verifies incoming ones. */
  secrets: string[];
  /** INN, registry names, portability owner ids and MNCs that name this operator in imported files. */
  aliases: string[];
}

export interface IdentificationConfig {
  /** This messenger's id in its contracts with operators. */
  messengerId: string;
  operators: OperatorConfig[];
  /** How long an operator has to answer (spec 4.3). */
  deadlineMs: number;
  /** How long new requests wait to be batched with others. */
  lingerMs: number;
  /** Timeout of one HTTP call to an operator. */
  httpTimeoutMs: number;
  /** Reconciliation with each operator (spec 4.5). */
  reconcileIntervalMs: number;
  /** Poll a request whose result has not arrived after this long (spec 4.2). */
  pollAfterMs: number;
  /** Backfill requests per operator per second. */
  backfillRate: number;
}

export interface MessagingConfig {
  maxGroupSize: number;
  /** Largest MLS message, in bytes (sent as base64url). */
  maxMessageBytes: number;
  /** Undelivered messages expire after this long. */
  retentionMs: number;
  /** Unacknowledged messages in flight per device connection. */
  window: number;
  attachmentMaxBytes: number;
  attachmentsDir: string;
}

export interface ServerConfig {
  env: 'development' | 'production';
  host: string;
  port: number;
  publicUrl: string;
  dataDir: string;
  database: { url?: string | undefined; sqlitePath: string; synchronous: 'full' | 'normal' };
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
  identification: IdentificationConfig;
  messaging: MessagingConfig;
  retention: {
    /** Days account events are kept to answer data requests; 0 keeps none. */
    accountEventDays: number;
  };
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
      synchronous: r.oneOf('SIGNET_SQLITE_SYNC', ['full', 'normal'] as const, base?.database?.synchronous ?? 'full'),
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
    identification: {
      messengerId: r.string('SIGNET_MESSENGER_ID', 'signet'),
      operators: readOperators(r),
      deadlineMs: r.duration('SIGNET_IDENTIFICATION_DEADLINE', 20 * MINUTE),
      lingerMs: r.duration('SIGNET_IDENTIFICATION_LINGER', 50),
      httpTimeoutMs: r.duration('SIGNET_OPERATOR_HTTP_TIMEOUT', 10_000),
      reconcileIntervalMs: r.duration('SIGNET_RECONCILE_INTERVAL', 60 * MINUTE),
      pollAfterMs: r.duration('SIGNET_IDENTIFICATION_POLL_AFTER', 2 * MINUTE),
      backfillRate: r.int('SIGNET_BACKFILL_RATE', 5000, 1, 1_000_000),
    },
    messaging: {
      maxGroupSize: r.int('SIGNET_MAX_GROUP_SIZE', 256, 2, 100_000),
      maxMessageBytes: r.size('SIGNET_MAX_MESSAGE_SIZE', 256 * 1024),
      retentionMs: r.duration('SIGNET_MESSAGE_RETENTION', 30 * DAY),
      window: r.int('SIGNET_DELIVERY_WINDOW', 256, 1, 10_000),
      attachmentMaxBytes: r.size('SIGNET_ATTACHMENT_MAX_SIZE', 25 * 1024 * 1024),
      attachmentsDir: resolve(dataDir, 'attachments'),
    },
    retention: {
      accountEventDays: r.int('SIGNET_ACCOUNT_EVENT_RETENTION_DAYS', 365, 0, 36_500),
    },
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

/** Operators from SIGNET_OPERATORS (JSON) or the JSON file SIGNET_OPERATORS_FILE. */
function readOperators(r: ConfigReader): OperatorConfig[] {
  const inline = r.string('SIGNET_OPERATORS');
  const file = r.string('SIGNET_OPERATORS_FILE');
  let raw: unknown = [];
  try {
    if (inline) raw = JSON.parse(inline);
    else if (file) raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    r.fail(`${inline ? 'SIGNET_OPERATORS' : `SIGNET_OPERATORS_FILE=${file}`}: ${(error as Error).message}`);
    return [];
  }
  const list = Array.isArray(raw) ? raw : (raw as { operators?: unknown }).operators;
  if (!Array.isArray(list)) {
    r.fail('SIGNET_OPERATORS: expected a JSON array of operators');
    return [];
  }
  const operators: OperatorConfig[] = [];
  for (const [i, o] of (list as Partial<OperatorConfig>[]).entries()) {
    const where = `operator #${i + 1}`;
    if (typeof o?.id !== 'string' || !/^[A-Za-z0-9_-]{1,64}$/.test(o.id)) {
      r.fail(`${where}: id must be 1-64 of [A-Za-z0-9_-]`);
      continue;
    }
    if (typeof o.baseUrl !== 'string' || !/^https?:\/\//.test(o.baseUrl)) {
      r.fail(`${where} (${o.id}): baseUrl must be an http(s) URL`);
      continue;
    }
    const secrets = Array.isArray(o.secrets) ? o.secrets.filter((s) => typeof s === 'string') : [];
    if (secrets.length === 0 || secrets.some((s) => !s.startsWith('whsec_'))) {
      r.fail(`${where} (${o.id}): secrets must be a non-empty list of whsec_ secrets`);
      continue;
    }
    operators.push({
      id: o.id,
      name: typeof o.name === 'string' ? o.name : o.id,
      baseUrl: o.baseUrl.replace(/\/+$/, ''),
      secrets,
      aliases: Array.isArray(o.aliases) ? o.aliases.map(String) : [],
    });
  }
  return operators;
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
