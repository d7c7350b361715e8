import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import {
  createLogger,
  createTestDatabase,
  Database,
  type DialectName,
  ManualClock,
  type TestDatabase,
} from '@signet/common';
import { buildOperatorConfig, type OperatorConfig } from '../src/config/config';
import type { OperatorSchema } from '../src/db';
import { createOperator, type OperatorService } from '../src/service';
import { Counterpart } from './counterpart';

export const ADMIN_TOKEN = 'admin-token-for-tests-0123456789';

export interface HarnessOptions {
  env?: Record<string, string>;
  config?: Partial<OperatorConfig>;
  /** Secrets of m1 (several to test rotation). */
  m1Secrets?: string[];
}

/**
 * A real operator on a loopback port over a real database, with a manual clock and no worker loop (tests
 * call runDue), plus two independent messenger counterparts, m1 and m2.
 */
export class Harness {
  private constructor(
    readonly clock: ManualClock,
    public service: OperatorService,
    readonly m1: Counterpart,
    readonly m2: Counterpart,
    private readonly config: OperatorConfig,
    private readonly database: TestDatabase,
    /** Every log line the service wrote, as JSON text. */
    readonly logs: string[],
  ) {}

  static async start(dialect: DialectName, options: HarnessOptions = {}): Promise<Harness> {
    const clock = new ManualClock();
    const m1 = await Counterpart.start('m1', clock, options.m1Secrets);
    const m2 = await Counterpart.start('m2', clock);
    const config = buildOperatorConfig(
      {
        SIGNET_OPERATOR_PORT: '0',
        SIGNET_OPERATOR_DATA_DIR: mkdtempSync(join(tmpdir(), 'signet-operator-')),
        SIGNET_OPERATOR_ID: 'test-operator',
        SIGNET_OPERATOR_WORKER_INTERVAL: '0',
        SIGNET_OPERATOR_EVENT_LINGER: '0',
        SIGNET_OPERATOR_EVENT_TIMEOUT: '5s',
        SIGNET_OPERATOR_ADMIN_TOKEN: ADMIN_TOKEN,
        ...options.env,
      },
      {
        messengers: [
          { messengerId: 'm1', eventsUrl: m1.eventsUrl, secrets: [...m1.secrets] },
          { messengerId: 'm2', eventsUrl: m2.eventsUrl, secrets: [...m2.secrets] },
        ],
        ...options.config,
      },
    );
    const database = await createTestDatabase(dialect);
    const logs: string[] = [];
    const service = await Harness.open(config, database, clock, logs);
    return new Harness(clock, service, m1, m2, config, database, logs);
  }

  private static async open(config: OperatorConfig, database: TestDatabase, clock: ManualClock, logs: string[]) {
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        logs.push(...chunk.toString('utf8').split('\n').filter(Boolean));
        done();
      },
    });
    const logger = createLogger({ level: 'trace' }, sink);
    for (let attempt = 1; ; attempt++) {
      const db = Database.open<OperatorSchema>(database.options);
      try {
        const service = await createOperator(config, { clock, db, logger });
        await service.listen();
        return service;
      } catch (error) {
        await db.close().catch(() => undefined);
        // Kysely's migrator asks has_schema_privilege() of every schema in the database, so another test
        // process dropping its own schema at that moment fails our migration (3F000). Try again.
        const code = ((error as Error).cause as { code?: string } | undefined)?.code;
        if (code !== '3F000' || attempt >= 5) throw error;
      }
    }
  }

  get url(): string {
    return this.service.url;
  }

  get db() {
    return this.service.ctx.db.db;
  }

  runDue() {
    return this.service.runDue();
  }

  /** Closes the service and opens a new one on the same database, as after a crash or a deploy. */
  async restart(): Promise<void> {
    await this.service.close();
    this.service = await Harness.open(this.config, this.database, this.clock, this.logs);
  }

  async close(): Promise<void> {
    await this.service.close();
    await Promise.all([this.m1.close(), this.m2.close()]);
    await this.database.drop();
  }

  /** Signed batch from a messenger (m1 by default). */
  identify(requests: unknown[], options: { as?: Counterpart; id?: string } = {}) {
    const as = options.as ?? this.m1;
    return as.post(this.url, '/v1/identifications', { messengerId: as.messengerId, requests }, { id: options.id });
  }

  admin(method: string, path: string, body?: unknown) {
    return fetch(this.url + path, {
      method,
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    }).then(async (res) => ({ status: res.status, body: (await res.json().catch(() => undefined)) as any }));
  }
}

let seq = 0;

/** A valid request item; each call gets fresh ids. */
export function item(overrides: Record<string, unknown> = {}) {
  seq++;
  return {
    requestId: `idr_${seq}_${randomBytes(6).toString('base64url')}`,
    userCode: `uc_${randomBytes(16).toString('base64url')}`,
    phoneNumber: '+79001234567',
    reason: 'registration',
    possessionVerifiedAt: '2026-11-29T09:59:58Z',
    requestedAt: '2026-11-29T10:00:00Z',
    ...overrides,
  };
}
