import type { AccountEvent, ServerFrame } from '@signet/protocol';
import { WebSocket } from 'ws';

const WAIT_MS = 3000;

/** A device's live connection in a test: collects every frame and says when the server closed it. */
export class TestSocket {
  readonly frames: ServerFrame[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  private readonly waiters = new Set<() => void>();

  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (data) => {
      this.frames.push(JSON.parse(String(data)) as ServerFrame);
      for (const wake of this.waiters) wake();
    });
    this.closed = new Promise((resolve) => {
      ws.on('close', (code, reason) => resolve({ code, reason: String(reason) }));
    });
  }

  /** Connects with the token in the Authorization header, or as a `bearer.<token>` subprotocol as browsers do. */
  static async open(serverUrl: string, token: string, via: 'header' | 'protocol' = 'header'): Promise<TestSocket> {
    const url = `${serverUrl.replace(/^http/, 'ws')}/v1/ws`;
    const ws =
      via === 'header'
        ? new WebSocket(url, ['signet.v1'], { headers: { authorization: `Bearer ${token}` } })
        : new WebSocket(url, ['signet.v1', `bearer.${token}`]);
    const socket = new TestSocket(ws);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
      ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)));
    });
    await socket.waitFor((f) => f.type === 'ready');
    return socket;
  }

  /** The account events received so far, of one type if given. */
  events<T extends AccountEvent['type']>(type?: T): Extract<AccountEvent, { type: T }>[] {
    return this.frames
      .flatMap((f) => (f.type === 'event' ? [f.event] : []))
      .filter((e): e is Extract<AccountEvent, { type: T }> => type === undefined || e.type === type);
  }

  /** Waits until `count` events of the type have arrived, and returns them. */
  async waitForEvents<T extends AccountEvent['type']>(type: T, count = 1) {
    await this.until(() => this.events(type).length >= count, `${count} × ${type}`);
    return this.events(type);
  }

  async waitFor(match: (frame: ServerFrame) => boolean): Promise<ServerFrame> {
    await this.until(() => this.frames.some(match), 'a frame');
    return this.frames.find(match) as ServerFrame;
  }

  /** Waits for the server to close the connection, and answers its close code and reason. */
  async waitClosed(): Promise<{ code: number; reason: string }> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('timed out waiting for the server to close the socket')), WAIT_MS);
    });
    try {
      return await Promise.race([this.closed, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** From now on acknowledges each message frame as soon as it arrives, as a client does. */
  autoAck(): void {
    this.ws.on('message', (data) => {
      const frame = JSON.parse(String(data)) as ServerFrame;
      if (frame.type === 'message') this.send({ type: 'ack', seq: frame.seq });
    });
  }

  /** Sends a frame: an object as JSON, a string as it is (to try malformed frames). */
  send(frame: unknown): void {
    this.ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  get isOpen(): boolean {
    return this.ws.readyState === WebSocket.OPEN;
  }

  close(): void {
    this.ws.terminate();
  }

  private until(done: () => boolean, what: string): Promise<void> {
    if (done()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const wake = () => {
        if (!done()) return;
        cleanup();
        resolve();
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`timed out waiting for ${what}; got ${JSON.stringify(this.frames)}`));
      }, WAIT_MS);
      const cleanup = () => {
        clearTimeout(timer);
        this.waiters.delete(wake);
      };
      this.waiters.add(wake);
    });
  }
}

/** Tries an upgrade that should be refused; answers the HTTP status and JSON body of the refusal. */
export function refusedUpgrade(
  serverUrl: string,
  options: { path?: string; headers?: Record<string, string>; protocols?: string[] } = {},
): Promise<{ status: number; body: any }> {
  const url = `${serverUrl.replace(/^http/, 'ws')}${options.path ?? '/v1/ws'}`;
  const ws = new WebSocket(url, options.protocols ?? ['signet.v1'], { headers: options.headers ?? {} });
  return new Promise((resolve, reject) => {
    ws.once('open', () => {
      ws.terminate();
      reject(new Error('the upgrade was accepted'));
    });
    ws.once('unexpected-response', (_req, res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => {
        text += chunk.toString();
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : undefined }));
    });
    ws.once('error', (error) => reject(error));
  });
}

/** Lets frames already sent reach the client before asserting that none came. */
export const settle = () => new Promise((resolve) => setTimeout(resolve, 100));
