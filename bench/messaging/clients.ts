/**
 * The devices of the load generator. Each sends to its peer and reports what its own socket receives:
 * a Signet device over the real API (sends by HTTP POST or by the WebSocket `send` frame, inbox by
 * WebSocket with acks), a relay device over a bare WebSocket.
 */
import { Agent, request } from 'node:http';
import { WebSocket } from 'ws';
import type { BenchDevice } from './targets';

export interface DeviceEvents {
  /** A message arrived on this device's socket. */
  received(clientMessageId: string): void;
  /** The target acknowledged a send: for Signet, it is durably stored. */
  accepted(clientMessageId: string): void;
  /** The target refused or lost a send; it will not be delivered. */
  failed(clientMessageId: string, why: string): void;
}

export interface Client {
  readonly index: number;
  send(clientMessageId: string, payload: string): void;
  close(): void;
}

export type SendPath = 'http' | 'ws';

/** A Signet device: its inbox over the WebSocket, acknowledged as it arrives; sends by HTTP or WebSocket. */
export class SignetClient implements Client {
  private ackSeq = 0;
  private ackScheduled = false;
  private readonly path: string;

  private constructor(
    private readonly device: BenchDevice,
    private readonly ws: WebSocket,
    private readonly via: SendPath,
    private readonly base: URL,
    private readonly agent: Agent,
    private readonly events: DeviceEvents,
  ) {
    this.path = `/v1/conversations/${device.conversationId}/messages`;
  }

  get index(): number {
    return this.device.index;
  }

  static async connect(
    base: string,
    device: BenchDevice,
    via: SendPath,
    agent: Agent,
    events: DeviceEvents,
  ): Promise<SignetClient> {
    const ws = new WebSocket(`${base.replace(/^http/, 'ws')}/v1/ws`, ['signet.v1', `bearer.${device.token}`], {
      perMessageDeflate: false,
    });
    const client = new SignetClient(device, ws, via, new URL(base), agent, events);
    // Listening before `ready`, so that nothing the server pushes right after it is missed.
    ws.on('message', (data) => client.onFrame(String(data)));
    await opened(ws, (frame) => frame.includes('"type":"ready"'));
    return client;
  }

  send(clientMessageId: string, payload: string): void {
    const message = `{"clientMessageId":"${clientMessageId}","kind":"application","epoch":1,"payload":"${payload}"}`;
    if (this.via === 'ws') {
      this.ws.send(`{"type":"send","conversationId":"${this.device.conversationId}","message":${message}}`);
      return;
    }
    const req = request(
      {
        host: this.base.hostname,
        port: this.base.port,
        method: 'POST',
        path: this.path,
        agent: this.agent,
        headers: {
          authorization: `Bearer ${this.device.token}`,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(message),
        },
      },
      (res) => {
        res.resume();
        // 200 means durably stored; anything else means this message will never arrive.
        if (res.statusCode === 200) this.events.accepted(clientMessageId);
        else this.events.failed(clientMessageId, `HTTP ${res.statusCode}`);
      },
    );
    req.on('error', (error) => this.events.failed(clientMessageId, error.message));
    req.end(message);
  }

  close(): void {
    this.ws.terminate();
  }

  onFrame(text: string): void {
    const frame = JSON.parse(text) as { type: string; seq?: number; clientMessageId?: string | null };
    if (frame.type === 'message') {
      if (frame.clientMessageId) this.events.received(frame.clientMessageId);
      this.ack(frame.seq ?? 0);
    } else if (frame.type === 'sent') {
      this.events.accepted(frame.clientMessageId ?? '');
    } else if (frame.type === 'error') {
      const { code, message, clientMessageId } = frame as unknown as Record<string, string>;
      if (clientMessageId) this.events.failed(clientMessageId, code ?? 'error');
      else process.stderr.write(`device ${this.device.index}: ${code}: ${message}\n`);
    }
  }

  /** Acks are cumulative: what arrived in one turn of the event loop is acknowledged once, as a client would. */
  private ack(seq: number): void {
    this.ackSeq = Math.max(this.ackSeq, seq);
    if (this.ackScheduled) return;
    this.ackScheduled = true;
    setImmediate(() => {
      this.ackScheduled = false;
      if (this.ws.readyState === WebSocket.OPEN) this.ws.send(`{"type":"ack","seq":${this.ackSeq}}`);
    });
  }
}

/** A device of the bare relay: frames go to the peer as they are. */
export class RelayClient implements Client {
  private constructor(
    readonly index: number,
    private readonly ws: WebSocket,
    events: DeviceEvents,
  ) {
    ws.on('message', (data) => {
      const frame = JSON.parse(String(data)) as { clientMessageId: string };
      events.received(frame.clientMessageId);
    });
  }

  static async connect(base: string, index: number, events: DeviceEvents): Promise<RelayClient> {
    const ws = new WebSocket(`${base.replace(/^http/, 'ws')}/${index}`, { perMessageDeflate: false });
    await opened(ws);
    return new RelayClient(index, ws, events);
  }

  send(clientMessageId: string, payload: string): void {
    this.ws.send(`{"clientMessageId":"${clientMessageId}","payload":"${payload}"}`);
  }

  close(): void {
    this.ws.terminate();
  }
}

/** Connects every device, a few dozen at a time. */
export async function connectAll<T>(count: number, connect: (index: number) => Promise<T>): Promise<T[]> {
  const out: T[] = new Array(count);
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      out[i] = await connect(i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(32, count) }, worker));
  return out;
}

/** An HTTP agent that keeps one connection per in-flight send alive, as devices holding theirs open would. */
export function keepAliveAgent(maxSockets: number): Agent {
  return new Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets });
}

/** Resolves when the socket is open, or with `ready`, when a frame that it accepts arrives; fails after `seconds`. */
export function opened(ws: WebSocket, ready?: (frame: string) => boolean, seconds = 30): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the WebSocket did not open in ${seconds} s`)), seconds * 1000);
    const done = () => {
      clearTimeout(timer);
      resolve();
    };
    if (ready) {
      const onMessage = (data: unknown) => {
        if (!ready(String(data))) return;
        ws.off('message', onMessage);
        done();
      };
      ws.on('message', onMessage);
    } else {
      ws.once('open', done);
    }
    ws.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    ws.once('unexpected-response', (_req, res) => {
      clearTimeout(timer);
      reject(new Error(`upgrade refused: ${res.statusCode}`));
    });
  });
}
