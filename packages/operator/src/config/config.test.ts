import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newSecret, sha256Hex } from '@signet/common';
import { describe, expect, it } from 'vitest';
import { buildOperatorConfig } from './config';
import { readOperatorEnv } from './env';
import { OperatorConfigError } from './reader';

const secret = newSecret(randomBytes(32));

describe('operator configuration', () => {
  it('has defaults: port 8090, SQLite under the data dir, a 20-minute answer target, no delay', () => {
    const c = buildOperatorConfig({});
    expect(c.port).toBe(8090);
    expect(c.operatorId).toBe('demo-operator');
    expect(c.database.url).toBeUndefined();
    expect(c.database.sqlitePath).toMatch(/operator\.db$/);
    expect(c.answer).toEqual({ delayMs: 0, silentNumbers: [], targetMs: 20 * 60_000 });
    expect(c.noticeLimitMs).toBe(24 * 3600_000);
    expect(c.idempotencyTtlMs).toBe(72 * 3600_000);
    expect(c.messengers).toEqual([]);
    expect(c.adminTokenHash).toBeUndefined();
  });

  it('reads only SIGNET_OPERATOR_* variables from the environment', () => {
    expect(readOperatorEnv({ SIGNET_OPERATOR_PORT: '1', SIGNET_PORT: '2', HOME: '/', SIGNET_OPERATOR_ID: '' })).toEqual(
      {
        SIGNET_OPERATOR_PORT: '1',
      },
    );
  });

  it('reads messengers from a file and from inline JSON, deriving the events URL from a base URL', () => {
    const dir = mkdtempSync(join(tmpdir(), 'op-config-'));
    const file = join(dir, 'messengers.json');
    writeFileSync(file, JSON.stringify([{ messengerId: 'a', baseUrl: 'http://localhost:8080/', secrets: [secret] }]));
    const c = buildOperatorConfig({
      SIGNET_OPERATOR_MESSENGERS_FILE: file,
      SIGNET_OPERATOR_MESSENGERS: JSON.stringify([{ messengerId: 'b', eventsUrl: 'https://m.example/ev', secret }]),
      SIGNET_OPERATOR_ANSWER_DELAY: '3s',
      SIGNET_OPERATOR_DATABASE_URL: 'postgres://u@h/db',
    });
    expect(c.messengers).toEqual([
      { messengerId: 'a', eventsUrl: 'http://localhost:8080/operator/v1/events', secrets: [secret] },
      { messengerId: 'b', eventsUrl: 'https://m.example/ev', secrets: [secret] },
    ]);
    expect(c.answer.delayMs).toBe(3000);
    expect(c.database.url).toBe('postgres://u@h/db');
  });

  it('keeps only the hash of the admin token', () => {
    const token = 'a-long-enough-admin-token';
    const c = buildOperatorConfig({ SIGNET_OPERATOR_ADMIN_TOKEN: token });
    expect(c.adminTokenHash).toBe(sha256Hex(token));
    expect(JSON.stringify(c)).not.toContain(token);
  });

  it('collects every problem, without echoing secrets', () => {
    const bad = 'whsec_c2hvcnQ=';
    try {
      buildOperatorConfig({
        SIGNET_OPERATOR_PORT: 'eighty',
        SIGNET_OPERATOR_ID: 'has space',
        SIGNET_OPERATOR_ADMIN_TOKEN: 'short',
        SIGNET_OPERATOR_ANSWER_DELAY: 'soon',
        SIGNET_OPERATOR_MESSENGERS: JSON.stringify([{ messengerId: 'x', eventsUrl: 'nope', secrets: [bad] }]),
      });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(OperatorConfigError);
      const problems = (error as OperatorConfigError).problems;
      expect(problems).toHaveLength(6);
      expect(problems.join('\n')).not.toContain(bad);
    }
  });
});
