import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DialectName } from '@signet/common';
import { type ApiResponse, apiResponse, TestServer } from './harness';

/*
 * A minimal, independent operator for conformance tests of the messenger side of the operator
 * identification protocol (shared/spec/operator-identification-v1.md). Its signature code is written
 * here from the spec with node:crypto, on purpose: importing the project's own signing code (or the
 * reference operator) would let one misreading of the spec pass on both sides.
 */

export const MESSENGER_ID = 'signet-conformance';
export const IDENTIFIER = /^[A-Za-z0-9_-]{1,64}$/;
export const CORRELATOR = /^[A-Za-z0-9._:-]{1,128}$/;
const TOLERANCE_S = 300;

export const newSecret = (): string => `whsec_${randomBytes(32).toString('base64')}`;

/** `v1,<base64 HMAC-SHA256 of "{id}.{timestamp}.{payload}">`, keyed by the base64 part of the secret. */
export function sign(secret: string, id: string, timestampS: number, payload: string | Buffer): string {
  const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
  return `v1,${createHmac('sha256', key).update(`${id}.${timestampS}.`).update(payload).digest('base64')}`;
}

/** 'ok', or why the request's signature does not hold for this secret at this time. */
export function checkSignature(
  secret: string,
  headers: IncomingHttpHeaders,
  payload: string | Buffer,
  nowMs: number,
): string {
  const id = headers['webhook-id'];
  const ts = headers['webhook-timestamp'];
  const sig = headers['webhook-signature'];
  if (typeof id !== 'string' || typeof ts !== 'string' || typeof sig !== 'string') return 'missing headers';
  if (!IDENTIFIER.test(id)) return `webhook-id ${id} is not an identifier`;
  if (!/^\d+$/.test(ts)) return `webhook-timestamp ${ts} is not Unix seconds`;
  if (Math.abs(nowMs / 1000 - Number(ts)) > TOLERANCE_S) return `webhook-timestamp ${ts} is stale`;
  const expected = Buffer.from(sign(secret, id, Number(ts), payload).slice(3), 'base64');
  for (const part of sig.split(' ')) {
    if (!part.startsWith('v1,')) continue;
    const offered = Buffer.from(part.slice(3), 'base64');
    if (offered.length === expected.length && timingSafeEqual(offered, expected)) return 'ok';
  }
  return 'no signature verifies';
}

export interface Received {
  method: string;
  /** The request target exactly as sent: path and query, with the base path if the operator has one. */
  target: string;
  /** The target without the base path. */
  route: string;
  headers: IncomingHttpHeaders;
  raw: Buffer;
  body: any;
  /** 'ok' or the reason the signature (or the messengerId) was refused. */
  auth: string;
  /** The shared test clock when it arrived. */
  at: number;
}

/** How to answer the next POST /v1/identifications. */
export type Answer = 'accept' | 'drop' | 'hang' | { status: 429 | 503 | 400; retryAfter?: number | string };

export interface RequestItem {
  requestId: string;
  userCode: string;
  phoneNumber: string;
  reason: string;
  possessionVerifiedAt: string;
  requestedAt: string;
}

export class FakeOperator {
  readonly received: Received[] = [];
  /** Answers for the next POST /v1/identifications, in order; 'accept' once empty. */
  readonly answers: Answer[] = [];
  /** Pages of GET /v1/registrations by the cursor that asks for them ('' for the first). */
  readonly registrationPages = new Map<string, { registrations: unknown[]; nextCursor: string | null }>();
  /** What GET /v1/identifications/{id} answers for a request it has decided. */
  readonly results = new Map<string, unknown>();
  /** Runs when a batch arrives, before the answer: the result may come before the 202 (spec 4.1). */
  onBatch: (body: { messengerId: string; requests: RequestItem[] }) => Promise<void> = async () => {};
  now: () => number = () => Date.now();
  private readonly sockets = new Set<import('node:net').Socket>();
  private readonly hanging: (() => void)[] = [];

  private constructor(
    readonly id: string,
    readonly secret: string,
    private readonly server: Server,
    /** Where the API lives under the host, as in `https://operator.example/id-api`. */
    readonly basePath: string,
  ) {}

  static async start(id: string, options: { secret?: string; basePath?: string } = {}): Promise<FakeOperator> {
    const server = createServer();
    const op = new FakeOperator(id, options.secret ?? newSecret(), server, options.basePath ?? '');
    server.on('request', (req, res) => void op.handle(req, res));
    server.on('connection', (s) => {
      op.sockets.add(s);
      s.on('close', () => op.sockets.delete(s));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return op;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** The operator's entry of SIGNET_OPERATORS; extra secrets are ones the messenger accepts but does not sign with. */
  config(extraSecrets: string[] = []) {
    return {
      id: this.id,
      name: `Operator ${this.id}`,
      baseUrl: this.url + this.basePath,
      secrets: [this.secret, ...extraSecrets],
      aliases: [],
    };
  }

  batches(): Received[] {
    return this.received.filter((r) => r.method === 'POST' && r.route === '/v1/identifications');
  }

  items(): RequestItem[] {
    return this.batches().flatMap((b) => b.body.requests as RequestItem[]);
  }

  gets(path: string): Received[] {
    return this.received.filter((r) => r.method === 'GET' && r.route.startsWith(path));
  }

  /** The batch items for one phone number, once at least `count` have arrived. */
  async itemsFor(phoneNumber: string, count = 1): Promise<RequestItem[]> {
    await until(
      () => this.items().filter((i) => i.phoneNumber === phoneNumber).length >= count,
      `${count} request(s) for ${phoneNumber} at ${this.id}`,
    );
    return this.items().filter((i) => i.phoneNumber === phoneNumber);
  }

  /** Answers the requests held by 'hang' (with a 503). */
  release(): void {
    for (const answer of this.hanging.splice(0)) answer();
  }

  async close(): Promise<void> {
    this.hanging.length = 0;
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks);
    const target = req.url ?? '';
    const method = req.method ?? '';
    let body: any;
    try {
      body = raw.length > 0 ? JSON.parse(raw.toString('utf8')) : undefined;
    } catch {
      body = undefined;
    }
    const url = new URL(target, 'http://operator');
    const path = url.pathname.startsWith(this.basePath)
      ? url.pathname.slice(this.basePath.length)
      : `(outside ${this.basePath})`;
    const route = path + url.search;
    // Section 2: a GET is signed over its method and target exactly as sent.
    const payload = method === 'GET' ? `GET ${target}` : raw;
    let auth = checkSignature(this.secret, req.headers, payload, this.now());
    const messengerId = method === 'GET' ? url.searchParams.get('messengerId') : body?.messengerId;
    if (auth === 'ok' && messengerId !== MESSENGER_ID) auth = `messengerId ${messengerId}`;
    const record: Received = { method, target, route, headers: req.headers, raw, body, auth, at: this.now() };
    this.received.push(record);

    const correlator = req.headers['x-correlator'];
    res.setHeader('x-correlator', typeof correlator === 'string' ? correlator : 'op-made-up');
    const send = (status: number, json?: unknown, headers: Record<string, string> = {}) => {
      for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
      if (json === undefined) return void res.writeHead(status).end();
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(json));
    };
    const error = (status: number, code: string, headers: Record<string, string> = {}) =>
      send(status, { status, code, message: code.toLowerCase() }, headers);

    if (auth !== 'ok') return error(401, 'UNAUTHENTICATED');
    if (method === 'POST' && path === '/v1/identifications') {
      const answer = this.answers.shift() ?? 'accept';
      if (answer === 'drop') return void req.socket.destroy();
      if (answer === 'hang') return void this.hanging.push(() => error(503, 'UNAVAILABLE'));
      if (answer !== 'accept') {
        const code =
          answer.status === 429 ? 'TOO_MANY_REQUESTS' : answer.status === 503 ? 'UNAVAILABLE' : 'INVALID_ARGUMENT';
        return error(
          answer.status,
          code,
          answer.retryAfter === undefined ? {} : { 'retry-after': String(answer.retryAfter) },
        );
      }
      await this.onBatch(body);
      return send(202, { accepted: body.requests.map((r: RequestItem) => r.requestId), rejected: [] });
    }
    if (method === 'GET' && path === '/v1/registrations') {
      const page = this.registrationPages.get(url.searchParams.get('cursor') ?? '');
      return send(200, page ?? { registrations: [], nextCursor: null });
    }
    const poll = /^\/v1\/identifications\/([^/]+)$/.exec(path);
    if (method === 'GET' && poll) {
      const requestId = decodeURIComponent(poll[1] as string);
      const result = this.results.get(requestId);
      if (result) return send(200, result);
      if (this.items().some((i) => i.requestId === requestId)) return send(200, { requestId, status: 'pending' });
      return error(404, 'NOT_FOUND');
    }
    return error(404, 'NOT_FOUND');
  }
}

/** Polls until `done` holds, for at most `ms` of real time. */
export async function until(done: () => boolean | Promise<boolean>, what: string, ms = 5000): Promise<void> {
  const start = Date.now();
  while (!(await done())) {
    if (Date.now() - start > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Lets anything in flight land before asserting that nothing more came. */
export const settle = (ms = 150) => new Promise((r) => setTimeout(r, ms));

export interface EventOptions {
  /** The signing secret; the operator's own by default. */
  secret?: string;
  id?: string;
  /** Unix seconds; the messenger's clock by default. */
  timestamp?: number;
  /** The whole webhook-signature header, or null for none. */
  signature?: string | null;
  /** The x-correlator header, or null for none. */
  correlator?: string | null;
}

export type EventAnswer = ApiResponse;

/** Posts an event, signed as an operator signs it, to the messenger's event endpoint. */
export async function postEvent(
  t: TestServer,
  secret: string,
  event: unknown,
  options: EventOptions = {},
): Promise<EventAnswer> {
  const raw = typeof event === 'string' ? event : JSON.stringify(event);
  const id = options.id ?? `evt_${randomBytes(9).toString('base64url')}`;
  const timestamp = options.timestamp ?? Math.floor(t.clock.now() / 1000);
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'webhook-id': id,
    'webhook-timestamp': String(timestamp),
  };
  const signature =
    options.signature === undefined ? sign(options.secret ?? secret, id, timestamp, raw) : options.signature;
  if (signature !== null) headers['webhook-signature'] = signature;
  const correlator = options.correlator === undefined ? `test-${randomBytes(6).toString('hex')}` : options.correlator;
  if (correlator !== null) headers['x-correlator'] = correlator;
  return apiResponse(await fetch(`${t.url}/operator/v1/events`, { method: 'POST', headers, body: raw }));
}

export function completed(operatorId: string, results: object[]) {
  return { type: 'identification.completed', operatorId, results };
}

/** A result for a request item as the counterpart received it. */
export function resultFor(
  item: RequestItem,
  result: 'confirmed' | 'denied',
  reasonCode: string | null,
  decidedAtMs: number,
) {
  return {
    requestId: item.requestId,
    userCode: item.userCode,
    phoneNumber: item.phoneNumber,
    result,
    reasonCode,
    decidedAt: new Date(decidedAtMs).toISOString(),
  };
}

export function terminated(operatorId: string, notices: object[]) {
  return { type: 'subscriber.contract_terminated', operatorId, notices };
}

export interface World {
  t: TestServer;
  /** Serves +7900…; signs with its first secret, the messenger also accepts `op1Old`. */
  op1: FakeOperator;
  op1Old: string;
  /** Serves +7901…, under a base path. */
  op2: FakeOperator;
}

/**
 * Two counterpart operators and a messenger that knows them: +7900… routes to op1, +7901… to op2, and
 * +7902… to no one.
 */
export async function startWorld(dialect: DialectName, env: Record<string, string> = {}): Promise<World> {
  const op1 = await FakeOperator.start('op1');
  // The request target a GET is signed over includes the base path: it is what goes on the wire.
  const op2 = await FakeOperator.start('op2', { basePath: '/id-api' });
  const op1Old = newSecret();
  const t = await TestServer.start(dialect, {
    env: {
      SIGNET_OPERATORS: JSON.stringify([op1.config([op1Old]), op2.config()]),
      SIGNET_MESSENGER_ID: MESSENGER_ID,
      SIGNET_IDENTIFICATION_DEADLINE: '20m',
      ...env,
    },
  });
  op1.now = () => t.clock.now();
  op2.now = () => t.clock.now();
  await t.ctx.db.db
    .insertInto('number_prefixes')
    .values([
      { prefix: '+7900', operator_id: 'op1' },
      { prefix: '+7901', operator_id: 'op2' },
    ])
    .execute();
  return { t, op1, op1Old, op2 };
}

export async function stopWorld(w: World | undefined): Promise<void> {
  if (!w) return;
  // The operators first, so that nothing waits on a request they hold.
  await w.op1.close();
  await w.op2.close();
  await w.t.close();
}

/** Checks the CAMARA error shape of section 2 and answers the code. */
export function errorCode(answer: { status: number; body: any }): string {
  const { body } = answer;
  if (typeof body !== 'object' || body === null) throw new Error(`no error body with status ${answer.status}`);
  const keys = Object.keys(body).sort().join(',');
  if (keys !== 'code,message,status') throw new Error(`error body has keys ${keys}`);
  if (body.status !== answer.status) throw new Error(`error body says ${body.status}, HTTP says ${answer.status}`);
  if (!/^[A-Z][A-Z0-9_]*$/.test(body.code) || typeof body.message !== 'string')
    throw new Error(`bad error body ${JSON.stringify(body)}`);
  return body.code;
}

/** Registers a number and waits for its identification request to reach the operator. */
export async function registerAt(w: World, op: FakeOperator, phoneNumber: string) {
  const before = op.items().filter((i) => i.phoneNumber === phoneNumber).length;
  const reg = await w.t.register(phoneNumber);
  const items = await op.itemsFor(phoneNumber, before + 1);
  return { reg, item: items[items.length - 1] as RequestItem };
}

/** Registers a number and has its operator confirm it. */
export async function identify(w: World, op: FakeOperator, phoneNumber: string) {
  const { reg, item } = await registerAt(w, op, phoneNumber);
  const res = await postEvent(w.t, op.secret, completed(op.id, [resultFor(item, 'confirmed', null, w.t.clock.now())]));
  if (res.status !== 204) throw new Error(`confirmation refused: ${res.status} ${res.text}`);
  return { reg, item };
}

export async function accountRow(t: TestServer, accountId: string) {
  return t.ctx.db.db.selectFrom('accounts').selectAll().where('id', '=', accountId).executeTakeFirstOrThrow();
}

export async function requestRow(t: TestServer, requestId: string) {
  return t.ctx.db.db
    .selectFrom('identification_requests')
    .selectAll()
    .where('request_id', '=', requestId)
    .executeTakeFirstOrThrow();
}
