import type { ServerFrame } from '@signet/protocol';

/** The part of a WebSocket the SDK uses: the browser's and the `ws` package's both fit. */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: { code: number; reason: string }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
}

export type WebSocketFactory = (url: string, protocols: string[]) => WebSocketLike;

export type ConnectionState = 'connecting' | 'open' | 'waiting' | 'stopped';

export interface RealtimeOptions {
  /** The server's base URL (http or https); the socket goes to /v1/ws on it. */
  baseUrl: string;
  token: string;
  factory: WebSocketFactory;
  onFrame: (frame: ServerFrame) => void;
  onState?: (state: ConnectionState, detail?: string) => void;
  /** First wait before reconnecting, doubled each failure up to maxDelayMs, with jitter. */
  initialDelayMs?: number;
  maxDelayMs?: number;
}

/** Codes after which reconnecting is pointless: the device was revoked or the account ended. */
const FINAL_CLOSE_CODES = new Set([4001]);

/** One live connection to the server that reconnects with backoff until stopped. */
export class RealtimeConnection {
  private socket: WebSocketLike | undefined;
  private attempt = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private stopped = true;
  private state: ConnectionState = 'stopped';

  constructor(private readonly options: RealtimeOptions) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.socket?.close(1000, 'client stopped');
    this.socket = undefined;
    this.setState('stopped');
  }

  get current(): ConnectionState {
    return this.state;
  }

  /** Acknowledges everything up to `seq`; the server then deletes it. */
  ack(seq: number): void {
    this.sendFrame({ type: 'ack', seq });
  }

  /** Tells the server that official notices up to `upTo` reached this device. */
  ackNotices(upTo: number): void {
    this.sendFrame({ type: 'notice.ack', upTo });
  }

  private sendFrame(frame: unknown): void {
    if (this.socket?.readyState === 1) this.socket.send(JSON.stringify(frame));
  }

  private connect(): void {
    this.setState('connecting');
    const url = `${this.options.baseUrl.replace(/^http/, 'ws').replace(/\/+$/, '')}/v1/ws`;
    let socket: WebSocketLike;
    try {
      socket = this.options.factory(url, ['signet.v1', `bearer.${this.options.token}`]);
    } catch (error) {
      this.retry(String(error));
      return;
    }
    this.socket = socket;
    socket.onopen = () => {
      this.attempt = 0;
      this.setState('open');
    };
    socket.onmessage = (ev) => {
      let frame: ServerFrame;
      try {
        frame = JSON.parse(String(ev.data)) as ServerFrame;
      } catch {
        return;
      }
      this.options.onFrame(frame);
    };
    socket.onerror = () => {
      // onclose follows and decides.
    };
    socket.onclose = (ev) => {
      if (this.socket !== socket) return;
      this.socket = undefined;
      if (this.stopped) return;
      if (FINAL_CLOSE_CODES.has(ev.code)) {
        this.stopped = true;
        this.setState('stopped', ev.reason || 'closed by the server');
        return;
      }
      this.retry(ev.reason || `closed (${ev.code})`);
    };
  }

  private retry(reason: string): void {
    if (this.stopped) return;
    const initial = this.options.initialDelayMs ?? 500;
    const max = this.options.maxDelayMs ?? 30_000;
    const base = Math.min(max, initial * 2 ** this.attempt);
    const delay = base / 2 + Math.random() * (base / 2);
    this.attempt++;
    this.setState('waiting', reason);
    this.timer = setTimeout(() => this.connect(), delay);
  }

  private setState(state: ConnectionState, detail?: string): void {
    this.state = state;
    this.options.onState?.(state, detail);
  }
}
