import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from '@signet/common';
import { ClientFrame, type SendFrame } from '@signet/protocol';
import type { FastifyInstance } from 'fastify';
import { Compile } from 'typebox/compile';
import { type WebSocket, WebSocketServer } from 'ws';
import type { AuthenticatedDevice } from '../accounts/account-manager';
import { type AccountTopicMessage, accountTopic, type DeviceTopicMessage, deviceTopic } from '../accounts/notifier';
import { sendMessage } from '../api/conversations/send-message';
import type { AppContext } from '../context';
import { toErrorBody } from '../http/errors';
import type { InboxNotice } from '../messaging/delivery';
import { DeviceStream, send } from './device-stream';

export const WS_PATH = '/v1/ws';
/** Browsers cannot set headers on a WebSocket, so they send the token as a subprotocol `bearer.<token>`. */
const BEARER_PROTOCOL = /^bearer\.([A-Za-z0-9_-]{20,128})$/;
/** Compiled once: checking a frame against the schema by interpretation costs more than storing its message. */
const clientFrame = Compile(ClientFrame);

/** Live connections: one WebSocket per online device, fed from the broker. */
export function attachRealtime(app: FastifyInstance, ctx: AppContext): void {
  const wss = new WebSocketServer({
    noServer: true,
    // A frame may carry a message (a `send` frame): as large as the body of the HTTP send.
    maxPayload: Math.max(64 * 1024, sendMessage.bodyLimit?.(ctx) ?? 0),
    handleProtocols: (protocols) => (protocols.has('signet.v1') ? 'signet.v1' : false),
  });
  const log = ctx.log.child({ module: 'realtime' });

  /** Set when the server begins to shut down: upgrades still authenticating are refused, not left open. */
  let closing = false;
  app.server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (closing) {
      reject(socket, 503, 'UNAVAILABLE', 'the server is shutting down; connect again');
      return;
    }
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
      (auth) => {
        if (closing) {
          reject(socket, 503, 'UNAVAILABLE', 'the server is shutting down; connect again');
          return;
        }
        wss.handleUpgrade(req, socket, head, (ws) => {
          const stream = new DeviceStream(
            ws,
            auth.deviceId,
            auth.state,
            ctx.messaging.delivery,
            ctx.config.messaging.window,
            log,
          );
          const unsubscribe = [
            ctx.broker.subscribe(accountTopic(auth.accountId), (payload) => {
              const message = payload as AccountTopicMessage;
              // Messages are held while the account is not identified, and flow again once it is.
              if (message.event.type === 'identification.changed') stream.setState(message.event.state);
              if (message.exceptDeviceId !== auth.deviceId) send(ws, { type: 'event', event: message.event });
            }),
            // The device topic carries both new inbox entries and orders to close.
            ctx.broker.subscribe(deviceTopic(auth.deviceId), (payload) => {
              const message = payload as DeviceTopicMessage | InboxNotice;
              if ('inbox' in message) stream.offer(message.inbox);
              else ws.close(message.close.code, message.close.reason);
            }),
            // Posts of the public channels the account follows.
            ctx.channels.live.attach(auth, (frame) => send(ws, frame)),
            // Official notices whose audience takes in the account's number.
            ctx.mailings.live.attach(auth, ws),
          ];
          ws.on('close', () => {
            stream.close();
            for (const u of unsubscribe) u();
          });
          ws.on('error', (error) => log.debug({ err: error }, 'socket error'));
          const sendOver = (frame: SendFrame) => storeAndAnswer(ws, ctx, auth, frame, log);
          const noticeAck = (upTo: number) => ctx.mailings.live.acknowledge(auth.accountId, upTo);
          ws.on('message', (data) => void onFrame(ws, stream, String(data), sendOver, noticeAck));
          send(ws, { type: 'ready', deviceId: auth.deviceId });
          stream.start();
        });
      },
      (error: unknown) => {
        const { body } = toErrorBody(error);
        reject(socket, body.status, body.code, body.message);
      },
    );
  });

  // Before the HTTP server waits for its connections to end: the sockets are among them.
  app.addHook('preClose', async () => {
    closing = true;
    for (const client of wss.clients) client.close(1001, 'server shutting down');
    // A peer that does not answer the closing handshake is cut off, rather than holding the shutdown.
    const deadline = Date.now() + CLOSE_GRACE_MS;
    while (wss.clients.size > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    for (const client of wss.clients) client.terminate();
    wss.close();
  });
}

/** How long a shutting-down server waits for clients to answer its close frame. */
const CLOSE_GRACE_MS = 1000;

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
async function onFrame(
  ws: WebSocket,
  stream: DeviceStream,
  text: string,
  sendOver: (frame: SendFrame) => Promise<void>,
  noticeAck: (upTo: number) => void,
): Promise<void> {
  let frame: unknown;
  try {
    frame = JSON.parse(text);
  } catch {
    send(ws, { type: 'error', code: 'INVALID_ARGUMENT', message: 'frames are JSON' });
    return;
  }
  if (!clientFrame.Check(frame)) {
    send(ws, { type: 'error', code: 'INVALID_ARGUMENT', message: 'unknown frame; expected ack, ping or send' });
    return;
  }
  if (frame.type === 'ping') send(ws, { type: 'pong' });
  else if (frame.type === 'send') await sendOver(frame);
  else if (frame.type === 'notice.ack') noticeAck(frame.upTo);
  else
    await stream
      .ack(frame.seq)
      .catch(() => send(ws, { type: 'error', code: 'UNAVAILABLE', message: 'ack failed; send it again' }));
}

/**
 * A message sent over the socket goes through the same delivery as the HTTP send: `sent` once it is durably
 * stored, or an error frame naming its client message id (a retry with the same id acts once).
 */
async function storeAndAnswer(
  ws: WebSocket,
  ctx: AppContext,
  auth: AuthenticatedDevice,
  frame: SendFrame,
  log: Logger,
): Promise<void> {
  const { clientMessageId } = frame.message;
  try {
    const accepted = await ctx.messaging.delivery.send(auth, frame.conversationId, frame.message);
    send(ws, { type: 'sent', clientMessageId, ...accepted });
  } catch (error) {
    const { body } = toErrorBody(error);
    if (body.status >= 500) log.error({ err: error }, 'send over the socket failed');
    send(ws, { type: 'error', code: body.code, message: body.message, clientMessageId, status: body.status });
  }
}

function reject(socket: Duplex, status: number, code: string, message: string): void {
  const body = JSON.stringify({ status, code, message });
  socket.end(
    `HTTP/1.1 ${status} ${code}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}
