/**
 * The online devices of the mailing benchmark: one WebSocket each, as the SDK opens it. Each notes when its
 * `notice` frame arrives and acknowledges it (`notice.ack`), as a client does.
 */
import { WebSocket } from 'ws';
import { connectAll, opened } from '../messaging/clients';
import { phoneOf, tokenOf } from './seed';

export interface Devices {
  /** How many devices have a number under one of the prefixes. */
  inAudience(prefixes: readonly string[]): number;
  /** Forgets the last mailing's arrivals. */
  expect(): void;
  /** Arrival times are counted from here (`performance.now()`). */
  startClock(at: number): void;
  /** Resolves once `count` devices got a notice, or after `timeoutMs`. */
  waitForNotices(count: number, timeoutMs: number): Promise<void>;
  /** Milliseconds from the clock's start to each arrival. */
  latencies(): number[];
  /** Devices outside the prefixes that got the notice anyway. */
  stray(prefixes: readonly string[]): number;
  close(): void;
}

export async function connectDevices(base: string, count: number): Promise<Devices> {
  const arrivals = new Map<number, number>();
  let start = 0;
  let wake: (() => void) | undefined;
  const url = `${base.replace(/^http/, 'ws')}/v1/ws`;
  const sockets = await connectAll(count, (i) => open(url, i));

  function open(address: string, i: number): Promise<WebSocket> {
    const ws = new WebSocket(address, ['signet.v1', `bearer.${tokenOf(i)}`], { perMessageDeflate: false });
    ws.on('message', (data) => {
      const text = String(data);
      if (!text.startsWith('{"type":"notice","notice"')) return;
      if (!arrivals.has(i)) arrivals.set(i, performance.now() - start);
      const id = (JSON.parse(text) as { notice: { noticeId: number } }).notice.noticeId;
      ws.send(`{"type":"notice.ack","upTo":${id}}`);
      wake?.();
    });
    return opened(ws, (frame) => frame.includes('"type":"ready"'), 60).then(() => ws);
  }

  const inside = (i: number, prefixes: readonly string[]) => prefixes.some((p) => phoneOf(i).startsWith(p));
  return {
    inAudience: (prefixes) => sockets.filter((_, i) => inside(i, prefixes)).length,
    expect: () => arrivals.clear(),
    startClock: (at) => {
      start = at;
    },
    waitForNotices: (n, timeoutMs) =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(done, timeoutMs);
        function done() {
          clearTimeout(timer);
          wake = undefined;
          resolve();
        }
        wake = () => {
          if (arrivals.size >= n) done();
        };
        wake();
      }),
    latencies: () => [...arrivals.values()],
    stray: (prefixes) => [...arrivals.keys()].filter((i) => !inside(i, prefixes)).length,
    close: () => {
      for (const ws of sockets) ws.terminate();
    },
  };
}
