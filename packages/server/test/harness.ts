import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  Database,
  type DialectName,
  ManualClock,
  type TestDatabase,
  createTestDatabase,
  silentLogger,
} from '@signet/common';
import { DevSmsSink } from '../src/adapters/sms/dev-sink';
import type { SmsGateway } from '../src/adapters/sms/gateway';
import { type ServerConfig, buildConfig } from '../src/config/config';
import type { Schema } from '../src/db';
import { SignetServer } from '../src/server';

export interface TestServerOptions {
  env?: Record<string, string>;
  config?: Partial<ServerConfig>;
  sms?: SmsGateway;
}

/** A real server on a loopback port over a real database, with a manual clock and the SMS sink. */
export class TestServer {
  private constructor(
    readonly server: SignetServer,
    readonly clock: ManualClock,
    readonly sms: DevSmsSink,
    readonly url: string,
    private readonly database: TestDatabase,
  ) {}

  static async start(dialect: DialectName, options: TestServerOptions = {}): Promise<TestServer> {
    const database = await createTestDatabase(dialect);
    const clock = new ManualClock();
    const sms = new DevSmsSink(clock);
    const config = {
      ...buildConfig({
        SIGNET_ENV: 'development',
        SIGNET_HOST: '127.0.0.1',
        SIGNET_PORT: '0',
        SIGNET_DATA_DIR: mkdtempSync(join(tmpdir(), 'signet-data-')),
        ...options.env,
      }),
      ...options.config,
    };
    const db = Database.open<Schema>(database.options);
    const server = await SignetServer.create(config, {
      clock,
      sms: options.sms ?? sms,
      db,
      logger: silentLogger(),
    });
    await server.listen();
    return new TestServer(server, clock, sms, server.url, database);
  }

  get ctx() {
    return this.server.ctx;
  }

  async close(): Promise<void> {
    await this.server.close();
    await this.database.drop();
  }

  async request(method: string, path: string, body?: unknown, token?: string): Promise<ApiResponse> {
    const headers: Record<string, string> = {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (token) headers.authorization = `Bearer ${token}`;
    const res = await fetch(this.url + path, {
      method,
      headers,
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    let json: any;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    return { status: res.status, body: json, headers: res.headers, text };
  }

  /** Starts a verification session and returns it with the code the sink received. */
  async startVerification(phoneNumber: string): Promise<{ sessionId: string; code: string }> {
    const res = await this.request('POST', '/v1/verification/sessions', { phoneNumber });
    if (res.status !== 201) throw new Error(`verification failed: ${res.status} ${res.text}`);
    const code = this.sms.lastCode(res.body.phoneNumber);
    if (!code) throw new Error('no code in the SMS sink');
    return { sessionId: res.body.id, code };
  }

  /** The whole happy path: number, code, registration. */
  async register(
    phoneNumber: string,
    extra: Record<string, unknown> = {},
  ): Promise<{ accountId: string; deviceId: string; token: string; outcome: string; state: string }> {
    const { sessionId, code } = await this.startVerification(phoneNumber);
    const verified = await this.request('POST', `/v1/verification/sessions/${sessionId}/verify`, { code });
    if (verified.status !== 200) throw new Error(`verify failed: ${verified.status} ${verified.text}`);
    const res = await this.request('POST', '/v1/registration', {
      verificationSessionId: sessionId,
      deviceName: 'test device',
      ...extra,
    });
    if (res.status !== 200) throw new Error(`registration failed: ${res.status} ${res.text}`);
    return res.body;
  }
}

export interface ApiResponse {
  status: number;
  body: any;
  headers: Headers;
  text: string;
}
