import { resolve } from 'node:path';
import { DAY, HOUR, MINUTE, sha256Hex } from '@signet/common';
import { OpId } from '@signet/protocol';
import { Value } from 'typebox/value';
import type { OperatorEnv } from './env';
import { type MessengerConfig, parseMessengers, readMessengersFile } from './messengers';
import { ConfigReader, OperatorConfigError } from './reader';

export type { MessengerConfig } from './messengers';

export interface OperatorConfig {
  /** This operator's id in the messengers' operator directories (`operatorId` of every event). */
  operatorId: string;
  host: string;
  port: number;
  dataDir: string;
  database: { url?: string | undefined; sqlitePath: string };
  log: { level: string };
  /** Big enough for a batch of 1000 requests, so that a longer batch gets the spec's 413 after authentication. */
  bodyLimit: number;
  messengers: MessengerConfig[];
  /** SHA-256 (hex) of the admin token; without it the admin API is off. The token itself is never kept. */
  adminTokenHash?: string | undefined;
  /** E.164 prefixes this operator serves; empty: every number. Numbers outside get NUMBER_NOT_SERVED. */
  servedPrefixes: string[];
  answer: {
    /** Imitates a slow operator: a request is decided this long after it was accepted. */
    delayMs: number;
    /** Numbers this operator never answers, for deadline tests. */
    silentNumbers: string[];
    /** The answer target of the service-level report (spec 4.3: 20 minutes by default). */
    targetMs: number;
  };
  events: {
    /** How long a decided result waits for others to share its event. */
    lingerMs: number;
    /** Per delivery attempt. */
    timeoutMs: number;
    /** How often the worker looks for due work; 0 runs no loop (tests call runDue themselves). */
    pollMs: number;
    /** Events delivered at the same time. */
    concurrency: number;
  };
  /** The delivery limit of a termination notice (spec 4.4: 24 hours). */
  noticeLimitMs: number;
  /** How long a webhook-id is remembered (spec 2: at least 72 hours). */
  idempotencyTtlMs: number;
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
const E164 = /^\+[1-9][0-9]{4,14}$/;

/** Step two of configuration: typed, validated, with defaults. `base` overrides what the variables give. */
export function buildOperatorConfig(env: OperatorEnv, base: Partial<OperatorConfig> = {}): OperatorConfig {
  const r = new ConfigReader(env, (problems) => new OperatorConfigError(problems));
  const dataDir = resolve(r.string('SIGNET_OPERATOR_DATA_DIR', './data/operator'));
  const operatorId = r.string('SIGNET_OPERATOR_ID', 'demo-operator');
  if (!Value.Check(OpId, operatorId)) r.fail(`SIGNET_OPERATOR_ID=${operatorId}: 1 to 64 characters from [A-Za-z0-9_-]`);

  const config: OperatorConfig = {
    operatorId,
    host: r.string('SIGNET_OPERATOR_HOST', '127.0.0.1'),
    port: r.int('SIGNET_OPERATOR_PORT', 8090, 0, 65535),
    dataDir,
    database: { url: r.url('SIGNET_OPERATOR_DATABASE_URL'), sqlitePath: resolve(dataDir, 'operator.db') },
    log: { level: r.oneOf('SIGNET_OPERATOR_LOG_LEVEL', LOG_LEVELS, 'info') },
    bodyLimit: r.int('SIGNET_OPERATOR_BODY_LIMIT', 4 * 1024 * 1024, 1024),
    messengers: readMessengers(r),
    adminTokenHash: readAdminTokenHash(r),
    servedPrefixes: r.list('SIGNET_OPERATOR_NUMBER_PREFIXES'),
    answer: {
      delayMs: r.duration('SIGNET_OPERATOR_ANSWER_DELAY', 0),
      silentNumbers: r.list('SIGNET_OPERATOR_SILENT_NUMBERS'),
      targetMs: r.duration('SIGNET_OPERATOR_ANSWER_TARGET', 20 * MINUTE),
    },
    events: {
      lingerMs: r.duration('SIGNET_OPERATOR_EVENT_LINGER', 200),
      timeoutMs: r.duration('SIGNET_OPERATOR_EVENT_TIMEOUT', 10_000),
      pollMs: r.duration('SIGNET_OPERATOR_WORKER_INTERVAL', 500),
      concurrency: r.int('SIGNET_OPERATOR_EVENT_CONCURRENCY', 8, 1, 256),
    },
    noticeLimitMs: r.duration('SIGNET_OPERATOR_NOTICE_LIMIT', DAY),
    idempotencyTtlMs: Math.max(72 * HOUR, r.duration('SIGNET_OPERATOR_IDEMPOTENCY_TTL', 72 * HOUR)),
  };
  for (const p of config.servedPrefixes) {
    if (!/^\+[1-9][0-9]{0,14}$/.test(p)) r.fail(`SIGNET_OPERATOR_NUMBER_PREFIXES: ${p} is not an E.164 prefix`);
  }
  for (const n of config.answer.silentNumbers) {
    if (!E164.test(n)) r.fail(`SIGNET_OPERATOR_SILENT_NUMBERS: ${n} is not an E.164 number`);
  }
  r.done();
  return { ...config, ...base };
}

/** From a file (SIGNET_OPERATOR_MESSENGERS_FILE) and/or inline JSON (SIGNET_OPERATOR_MESSENGERS). */
function readMessengers(r: ConfigReader): MessengerConfig[] {
  const fail = (p: string) => r.fail(p);
  const file = r.string('SIGNET_OPERATOR_MESSENGERS_FILE');
  const inline = r.string('SIGNET_OPERATOR_MESSENGERS');
  const all = [
    ...(file ? readMessengersFile(resolve(file), fail) : []),
    ...(inline ? parseMessengers(inline, 'SIGNET_OPERATOR_MESSENGERS', fail) : []),
  ];
  const ids = all.map((m) => m.messengerId);
  const dup = ids.find((id, i) => ids.indexOf(id) !== i);
  if (dup) r.fail(`messenger ${dup} is configured twice`);
  return all;
}

function readAdminTokenHash(r: ConfigReader): string | undefined {
  const token = r.string('SIGNET_OPERATOR_ADMIN_TOKEN');
  const hash = r.string('SIGNET_OPERATOR_ADMIN_TOKEN_HASH');
  if (token !== undefined && token.length < 16) r.fail('SIGNET_OPERATOR_ADMIN_TOKEN: use at least 16 characters');
  if (hash !== undefined && !/^[0-9a-f]{64}$/.test(hash)) {
    r.fail('SIGNET_OPERATOR_ADMIN_TOKEN_HASH: expected the SHA-256 of the token in lowercase hex');
  }
  return token !== undefined ? sha256Hex(token) : hash;
}
