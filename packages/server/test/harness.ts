import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as opaque from '@serenity-kit/opaque';
import {
  createTestDatabase,
  Database,
  type DialectName,
  ManualClock,
  silentLogger,
  type TestDatabase,
} from '@signet/common';
import { DevSmsSink } from '../src/adapters/sms/dev-sink';
import type { SmsGateway } from '../src/adapters/sms/gateway';
import { buildConfig, type ServerConfig } from '../src/config/config';
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
    /** What a restart needs to start the same server again. */
    private readonly restartWith?: { config: ServerConfig; sms: SmsGateway },
  ) {}

  static async start(dialect: DialectName, options: TestServerOptions = {}): Promise<TestServer> {
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
    // After the configuration, which may refuse to build, so that a refusal leaves no database behind.
    const database = await createTestDatabase(dialect);
    const db = Database.open<Schema>(database.options);
    let server: SignetServer | undefined;
    try {
      server = await SignetServer.create(config, {
        clock,
        sms: options.sms ?? sms,
        db,
        logger: silentLogger(),
      });
      await server.listen();
      return new TestServer(server, clock, sms, server.url, database, { config, sms: options.sms ?? sms });
    } catch (error) {
      // A schema left behind with Kysely's migration tables in it would break every later PostgreSQL run.
      await (server ? server.close() : db.close()).catch(() => undefined);
      await database.drop();
      throw error;
    }
  }

  get ctx() {
    return this.server.ctx;
  }

  /**
   * Stops this server as a crash or a deploy would, and starts a new one on the same database, clock and
   * SMS sink, on a new port. Use the returned server from then on: closing it drops the database.
   */
  async restart(): Promise<TestServer> {
    if (!this.restartWith) throw new Error('this server cannot be restarted');
    const { config, sms } = this.restartWith;
    await this.server.close();
    const server = await SignetServer.create(config, {
      clock: this.clock,
      sms,
      db: Database.open<Schema>(this.database.options),
      logger: silentLogger(),
    });
    await server.listen();
    return new TestServer(server, this.clock, this.sms, server.url, this.database, this.restartWith);
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
    return apiResponse(res);
  }

  /** Starts a verification session and returns it with the code the sink received. */
  async startVerification(phoneNumber: string): Promise<{ sessionId: string; code: string }> {
    const res = await this.request('POST', '/v1/verification/sessions', { phoneNumber });
    if (res.status !== 201) throw new Error(`verification failed: ${res.status} ${res.text}`);
    const code = this.sms.lastCode(res.body.phoneNumber);
    if (!code) throw new Error('no code in the SMS sink');
    return { sessionId: res.body.id, code };
  }

  /** A verification session with the right code entered, ready for registration. */
  async verifiedSession(phoneNumber: string): Promise<string> {
    const { sessionId, code } = await this.startVerification(phoneNumber);
    const verified = await this.request('POST', `/v1/verification/sessions/${sessionId}/verify`, { code });
    if (verified.status !== 200) throw new Error(`verify failed: ${verified.status} ${verified.text}`);
    return sessionId;
  }

  /** The whole happy path: number, code, registration. */
  async register(
    phoneNumber: string,
    extra: Record<string, unknown> = {},
  ): Promise<{ accountId: string; deviceId: string; token: string; outcome: string; state: string }> {
    const sessionId = await this.verifiedSession(phoneNumber);
    const res = await this.request('POST', '/v1/registration', {
      verificationSessionId: sessionId,
      deviceName: 'test device',
      ...extra,
    });
    if (res.status !== 200) throw new Error(`registration failed: ${res.status} ${res.text}`);
    return res.body;
  }

  /** Sets (or changes) the account's registration-lock password as a client does, with OPAQUE. */
  async setPassword(token: string, password: string): Promise<void> {
    await opaque.ready;
    const { clientRegistrationState, registrationRequest } = opaque.client.startRegistration({ password });
    const setup = await this.request('POST', '/v1/account/password/setup', { registrationRequest }, token);
    if (setup.status !== 200) throw new Error(`password setup failed: ${setup.status} ${setup.text}`);
    const { registrationRecord } = opaque.client.finishRegistration({
      clientRegistrationState,
      registrationResponse: setup.body.registrationResponse,
      password,
    });
    const put = await this.request('PUT', '/v1/account/password', { registrationRecord }, token);
    if (put.status !== 204) throw new Error(`storing the password failed: ${put.status} ${put.text}`);
  }

  /**
   * Runs the OPAQUE login against the number's lock. Undefined when the client finds the password wrong:
   * it then cannot produce the last message, and the server never learns why the login did not finish.
   */
  async passwordProof(sessionId: string, password: string): Promise<PasswordProof | undefined> {
    await opaque.ready;
    const { clientLoginState, startLoginRequest } = opaque.client.startLogin({ password });
    const res = await this.request('POST', '/v1/registration/password-login', {
      verificationSessionId: sessionId,
      startLoginRequest,
    });
    if (res.status !== 200) throw new Error(`password login failed: ${res.status} ${res.text}`);
    const finished = opaque.client.finishLogin({ clientLoginState, loginResponse: res.body.loginResponse, password });
    return finished && { loginId: res.body.loginId, finishLoginRequest: finished.finishLoginRequest };
  }

  /** Verifies the number and registers with the password; the answer is returned as it is. */
  async registerWithPassword(
    phoneNumber: string,
    password: string,
    extra: Record<string, unknown> = {},
  ): Promise<ApiResponse> {
    const sessionId = await this.verifiedSession(phoneNumber);
    const proof = await this.passwordProof(sessionId, password);
    if (!proof) throw new Error('the password is wrong: the OPAQUE login cannot finish');
    return this.request('POST', '/v1/registration', {
      verificationSessionId: sessionId,
      deviceName: 'test device',
      password: proof,
      ...extra,
    });
  }
}

export interface PasswordProof {
  loginId: string;
  finishLoginRequest: string;
}

export interface ApiResponse {
  status: number;
  body: any;
  headers: Headers;
  text: string;
}

/** Reads an answer whole: its text, and its body as JSON where it is JSON. */
export async function apiResponse(res: Response): Promise<ApiResponse> {
  const text = await res.text();
  let json: any;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, body: json, headers: res.headers, text };
}
