// The Node entry: everything of the browser entry, plus what needs Node (files, the `ws` package).
export * from './index';
export { nodeWebSocketFactory } from './realtime/node-websocket';
export { FileKeyStore } from './store/file-store';
