import { WebSocket } from 'ws';
import type { WebSocketFactory, WebSocketLike } from './connection';

/** Node's WebSocket, from the `ws` package (Node 20 has no global one). */
export const nodeWebSocketFactory: WebSocketFactory = (url, protocols) =>
  new WebSocket(url, protocols) as unknown as WebSocketLike;
