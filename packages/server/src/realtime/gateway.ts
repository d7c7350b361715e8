import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { ClientFrame } from '@signet/protocol';
import type { FastifyInstance } from 'fastify';
import { Value } from 'typebox/value';
import { type WebSocket, WebSocketServer } from 'ws';
import { type AccountTopicMessage, accountTopic, type DeviceTopicMessage, deviceTopic } from '../accounts/notifier';
import type { AppContext } from '../context';
import { toErrorBody } from '../http/errors';
import type { InboxNotice } from '../messaging/delivery';
import { type DeviceStream, send } from './device-stream';

export const WS_PATH = '/v1/ws';
/** Browsers cannot set headers on a WebSocket, so they send the token as a subprotocol `bearer.<token>`. */
const BEARER_PROTOCOL = /^bearer\.([A-Za-z0-9_-]{20,128})$/;

/** Live connections: one WebSocket per online device, fed from the broker. */
export function attachRealtime(app: FastifyInstance, ctx: AppContext): void {
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: 64 * 1024,
    handleProtocols: (protocols) => (protocols.has('signet.v1') ? 'signet.v1' : false),
  });
  const log = ctx.log.child({ module: 'realtime' });

  app.server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (new URL(req.url ?? '/', 'http://x').pathname !== WS_PATH) {
      reject(socket, 404, 'NOT_FOUND', 'no WebSocket here');
      return;
    }
    const token = tokenOf(req);
    if (!token) {
      reject(socket, 401, 'UNAUTHENTICATED', 'a session token is required');
      return;
    }
    ctx.accounts.authenticate(token).then(
      (auth) =>
        wss.handleUpgrade(req, socket, head, (ws) => {
          const unsubscribe = [
            ctx.broker.subscribe(accountTopic(auth.accountId), (payload) => {
              const message = payload as AccountTopicMessage;
              if (message.exceptDeviceId !== auth.deviceId) send(ws, { type: 'event', event: message.event });
            }),
            ctx.broker.subscribe(deviceTopic(auth.deviceId), (payload) => {
              const { close } = payload as DeviceTopicMessage;
              ws.close(close.code, close.reason);
            }),
          ];
          ws.on('close', () => {
            for (const u of unsubscribe) u();
          });
          ws.on('error', (error) => log.debug({ err: error }, 'socket error'));
          ws.on('message', () =>
            send(ws, { type: 'error', code: 'INVALID_ARGUMENT', message: 'no frames are accepted yet' }),
          );
          send(ws, { type: 'ready', deviceId: auth.deviceId });
        }),
      (error: unknown) => {
        const { body } = toErrorBody(error);
        reject(socket, body.status, body.code, body.message);
      },
    );
  });

  app.addHook('onClose', async () => {
    for (const client of wss.clients) client.close(1001, 'server shutting down');
    wss.close();
  });
}

function tokenOf(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  const fromHeader = header ? /^Bearer ([A-Za-z0-9_-]{20,128})$/.exec(header)?.[1] : undefined;
  if (fromHeader) return fromHeader;
  const protocols = (req.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim());
  for (const p of protocols) {
    const m = BEARER_PROTOCOL.exec(p);
    if (m?.[1]) return m[1];
  }
  return undefined;
}

/** A malformed frame gets an error frame; it never closes the socket or touches another queue. */
async function onFrame(ws: WebSocket, stream: DeviceStream, text: string): Promise<void> {
  let frame: unknown;
  try {
    frame = JSON.parse(text);
  } catch {
    send(ws, { type: 'error', code: 'INVALID_ARGUMENT', message: 'frames are JSON' });
    return;
  }
  if (!Value.Check(ClientFrame, frame)) {
    send(ws, { type: 'error', code: 'INVALID_ARGUMENT', message: 'unknown frame; expected ack or ping' });
    return;
  }
  if (frame.type === 'ping') send(ws, { type: 'pong' });
  else
    await stream
      .ack(frame.seq)
      .catch(() => send(ws, { type: 'error', code: 'UNAVAILABLE', message: 'ack failed; send it again' }));
}

function reject(socket: Duplex, status: number, code: string, message: string): void {
  const body = JSON.stringify({ status, code, message });
  socket.end(
    `HTTP/1.1 ${status} ${code}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}
