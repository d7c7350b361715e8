import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Clock } from '@signet/common';
import { ContractTerminated, IdentificationCompleted } from '@signet/protocol';
import { Value } from 'typebox/value';

/**
 * A minimal messenger written from the spec alone: it signs its requests and verifies the operator's
 * events with node:crypto (not with the repository's signing code), so that the operator is tested against
 * an independent reading of Standard Webhooks.
 */

export function newSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

function hmac(secret: string, id: string, ts: string, payload: Buffer | string): string {
  const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
  return createHmac('sha256', key).update(`${id}.${ts}.`).update(payload).digest('base64');
}

export function sign(secret: string, id: string, nowMs: number, payload: Buffer | string): Record<string, string> {
  const ts = String(Math.floor(nowMs / 1000));
  return { 'webhook-id': id, 'webhook-timestamp': ts, 'webhook-signature': `v1,${hmac(secret, id, ts, payload)}` };
}

export interface ReceivedEvent {
  headers: IncomingHttpHeaders;
  raw: Buffer;
  body: any;
  /** The counterpart's clock when it arrived. */
  at: number;
  verified: boolean;
  schemaOk: boolean;
  answered: number;
}

export type Answer = { status: number; headers?: Record<string, string> };

export interface HttpAnswer {
  status: number;
  headers: Headers;
  text: string;
  body: any;
}

export class Counterpart {
  readonly received: ReceivedEvent[] = [];
  /** Answers to give, in order; once used up, 204. */
  readonly answers: Answer[] = [];
  /** Runs before each answer (for checks that must happen while the operator waits). */
  onEvent: ((e: ReceivedEvent) => Promise<void>) | undefined;

  private constructor(
    readonly messengerId: string,
    readonly secrets: string[],
    private readonly clock: Clock,
    private readonly server: Server,
  ) {}

  static async start(messengerId: string, clock: Clock, secrets = [newSecret()]): Promise<Counterpart> {
    const server = createServer();
    const cp = new Counterpart(messengerId, secrets, clock, server);
    server.on('request', (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        void cp.handle(req.headers, Buffer.concat(chunks)).then(({ status, headers }) => {
          res.writeHead(status, { ...headers, 'x-correlator': String(req.headers['x-correlator'] ?? 'none') });
          res.end();
        });
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return cp;
  }

  get eventsUrl(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/operator/v1/events`;
  }

  /** Events that verified, in arrival order. */
  get events(): ReceivedEvent[] {
    return this.received.filter((e) => e.verified);
  }

  private async handle(headers: IncomingHttpHeaders, raw: Buffer): Promise<Answer> {
    const verified = this.verify(headers, raw);
    let body: any;
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch {
      body = undefined;
    }
    const schemaOk = Value.Check(IdentificationCompleted, body) || Value.Check(ContractTerminated, body);
    const event: ReceivedEvent = { headers, raw, body, at: this.clock.now(), verified, schemaOk, answered: 0 };
    this.received.push(event);
    const refusal = !verified ? 401 : !schemaOk ? 400 : undefined;
    if (refusal !== undefined) {
      event.answered = refusal;
      return { status: refusal };
    }
    if (this.onEvent) await this.onEvent(event);
    const answer = this.answers.shift() ?? { status: 204 };
    event.answered = answer.status;
    return answer;
  }

  private verify(headers: IncomingHttpHeaders, raw: Buffer): boolean {
    const id = headers['webhook-id'];
    const ts = headers['webhook-timestamp'];
    const sigs = headers['webhook-signature'];
    if (typeof id !== 'string' || typeof ts !== 'string' || typeof sigs !== 'string') return false;
    if (Math.abs(this.clock.now() / 1000 - Number(ts)) > 300) return false;
    const offered = sigs.split(' ').map((s) => Buffer.from(s.replace(/^v1,/, ''), 'base64'));
    return this.secrets.some((secret) => {
      const expected = Buffer.from(hmac(secret, id, ts, raw), 'base64');
      return offered.some((o) => o.length === expected.length && timingSafeEqual(o, expected));
    });
  }

  /** A signed POST to the operator, as this messenger. */
  async post(
    base: string,
    path: string,
    body: unknown,
    options: { id?: string; secret?: string; nowMs?: number; headers?: Record<string, string> } = {},
  ): Promise<HttpAnswer> {
    const raw = typeof body === 'string' ? body : JSON.stringify(body);
    const id = options.id ?? `msg_${randomBytes(12).toString('base64url')}`;
    const signed = sign(options.secret ?? this.secrets[0]!, id, options.nowMs ?? this.clock.now(), raw);
    return send(base + path, 'POST', { 'content-type': 'application/json', ...signed, ...options.headers }, raw);
  }

  /** A signed GET to the operator, the signature covering `GET <target>`. */
  async get(
    base: string,
    target: string,
    options: { secret?: string; nowMs?: number; headers?: Record<string, string>; signTarget?: string } = {},
  ): Promise<HttpAnswer> {
    const id = `msg_${randomBytes(12).toString('base64url')}`;
    const payload = `GET ${options.signTarget ?? target}`;
    const signed = sign(options.secret ?? this.secrets[0]!, id, options.nowMs ?? this.clock.now(), payload);
    return send(base + target, 'GET', { ...signed, ...options.headers });
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

export async function send(
  url: string,
  method: string,
  headers: Record<string, string>,
  body?: string,
): Promise<HttpAnswer> {
  const res = await fetch(url, { method, headers, body });
  const text = await res.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, body: json };
}
