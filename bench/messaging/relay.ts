/**
 * The baseline of the messaging benchmark: a bare WebSocket relay, run as its own process. Devices connect to
 * `/<index>`; every frame a device sends is forwarded as it is to its peer (index XOR 1). No parsing, no
 * storage, no acknowledgement: the upper bound of moving the same bytes through one Node process.
 *
 * Prints `{"port":N}` on stdout once listening; stops on SIGTERM or when its parent goes away.
 */
import { type WebSocket, WebSocketServer } from 'ws';

const sockets = new Map<number, WebSocket>();
const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, maxPayload: 64 * 1024 });

wss.on('connection', (ws, req) => {
  const index = Number((req.url ?? '/').slice(1));
  if (!Number.isInteger(index) || index < 0) {
    ws.close(1008, 'connect to /<device index>');
    return;
  }
  sockets.set(index, ws);
  const peer = index ^ 1;
  ws.on('message', (data, isBinary) => sockets.get(peer)?.send(data, { binary: isBinary }));
  ws.on('close', () => {
    if (sockets.get(index) === ws) sockets.delete(index);
  });
  ws.on('error', () => undefined);
});

wss.on('listening', () => {
  const address = wss.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  process.stdout.write(`${JSON.stringify({ port })}\n`);
});

const stop = () => {
  for (const ws of wss.clients) ws.terminate();
  wss.close(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
// The benchmark holds our stdin open; when it ends, so do we.
process.stdin.on('end', stop);
process.stdin.resume();
