import { SignetApi } from './api/endpoints';
import { HttpClient } from './api/http-client';
import { AttachmentService } from './attachments';
import { BlockService } from './blocks';
import { ChannelService } from './channels';
import { ContactService } from './contacts';
import { ConversationStore } from './conversation-store';
import { ConversationService } from './conversations';
import { CredentialDirectory } from './credential-directory';
import { DeviceService } from './device';
import { SignetClientError } from './errors';
import type { ClientEvents } from './events';
import { GroupCommitter } from './group-commits';
import { Inbox } from './inbox';
import { MessageLog } from './message-log';
import { NoticeService } from './notices';
import { type ConnectionState, RealtimeConnection, type WebSocketFactory } from './realtime/connection';
import { SessionService } from './session';
import type { KeyStore } from './store/key-store';
import { Emitter } from './util/emitter';

export interface SignetClientOptions {
  /** The messenger's base URL, e.g. `https://signet.example`. */
  baseUrl: string;
  store: KeyStore;
  /** How to open a WebSocket: the browser's by default; in Node, `nodeWebSocketFactory` from `@signet/client/node`. */
  webSocketFactory?: WebSocketFactory;
  fetch?: typeof fetch;
  /** One-time KeyPackages uploaded per top-up. */
  keyPackageBatch?: number;
  reconnect?: { initialDelayMs?: number; maxDelayMs?: number };
  /** How long a commit that lost a race waits for the winner to arrive. */
  catchUpTimeoutMs?: number;
}

/** The SDK's services, composed; each can also be used on its own. */
export interface SignetClient {
  readonly api: SignetApi;
  readonly session: SessionService;
  readonly device: DeviceService;
  readonly directory: CredentialDirectory;
  readonly contacts: ContactService;
  readonly conversations: ConversationService;
  readonly attachments: AttachmentService;
  readonly blocks: BlockService;
  /** Public channels (not end-to-end encrypted); live posts arrive while the client is started. */
  readonly channels: ChannelService;
  /** The read-only "Official notices" conversation: signed notices from authorities, checked here. */
  readonly notices: NoticeService;
  readonly inbox: Inbox;
  on: Emitter<ClientEvents>['on'];
  /** Connects (after getting the device ready if the account is identified) and keeps reconnecting until `stop`. */
  start(): Promise<void>;
  stop(): void;
  /** Waits until connected and the inbox has been quiet for `quietMs`: what was waiting has been processed. */
  sync(options?: { quietMs?: number; timeoutMs?: number }): Promise<void>;
  readonly connectionState: ConnectionState;
}

/** Builds a client over a key store and loads its session, if it holds one. */
export async function createSignetClient(options: SignetClientOptions): Promise<SignetClient> {
  const events = new Emitter<ClientEvents>();
  const api = new SignetApi(
    new HttpClient({ baseUrl: options.baseUrl, ...(options.fetch ? { fetch: options.fetch } : {}) }),
  );
  const { store } = options;
  const session = new SessionService(api, store);
  const directory = new CredentialDirectory(api, store);
  const device = new DeviceService(api, store, session, directory, {
    ...(options.keyPackageBatch ? { keyPackageBatch: options.keyPackageBatch } : {}),
  });
  const conversationStore = new ConversationStore(store, device);
  const log = new MessageLog(store);
  const contacts = new ContactService(api, store, session, directory, (change) => events.emit('keyChanged', change));
  const attachments = new AttachmentService(api);
  const blocks = new BlockService(api, contacts);
  const channels = new ChannelService(api);
  let connection: RealtimeConnection | undefined;
  const notices = new NoticeService(api, store, (upTo) => connection?.ackNotices(upTo));
  /** A start under way: a second `start()` meanwhile waits for it instead of opening a second socket. */
  let starting: Promise<void> | undefined;
  let generation = 0;

  async function connect(): Promise<void> {
    const { token } = session.require();
    if (connection) return;
    const mine = generation;
    const status = await session.identification();
    if (status.state === 'identified') await device.ensureReady();
    if (mine !== generation || connection) return;
    connection = new RealtimeConnection({
      baseUrl: options.baseUrl,
      token,
      factory: options.webSocketFactory ?? browserWebSocket,
      onFrame: (frame) => {
        if (frame.type === 'ready') ready = true;
        channels.handle(frame);
        notices.handle(frame);
        inbox.handle(frame);
      },
      onState: (state, detail) => {
        if (state !== 'open') ready = false;
        events.emit('connection', { state, ...(detail ? { detail } : {}) });
      },
      ...options.reconnect,
    });
    connection.start();
  }
  const committer = new GroupCommitter(api, conversationStore, (id, epoch) =>
    inbox.waitForEpoch(id, epoch, options.catchUpTimeoutMs),
  );
  const conversations = new ConversationService({
    api,
    session,
    device,
    conversations: conversationStore,
    committer,
    log,
    contacts,
    directory,
    attachments,
    events,
  });
  const inbox: Inbox = new Inbox({
    api,
    store,
    session,
    device,
    conversations: conversationStore,
    committer,
    log,
    contacts,
    events,
    ack: (seq) => connection?.ack(seq),
    onProposals: (id) => conversations.onProposals(id),
    onLeaveVoided: (id) => conversations.onLeaveVoided(id),
  });
  await session.load();

  let ready = false;
  return {
    api,
    session,
    device,
    directory,
    contacts,
    conversations,
    attachments,
    blocks,
    channels,
    notices,
    inbox,
    on: (event, listener) => events.on(event, listener),
    start() {
      starting ??= connect().finally(() => {
        starting = undefined;
      });
      return starting;
    },
    stop() {
      // A start still on its way sees the new generation and does not connect.
      generation += 1;
      connection?.stop();
      connection = undefined;
      ready = false;
    },
    async sync({ quietMs = 300, timeoutMs = 15_000 } = {}) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        if (!connection) throw new SignetClientError('the client is not started');
        await inbox.idle();
        if (ready && Date.now() - inbox.lastFrameAt >= quietMs) return;
        if (Date.now() > deadline) throw new SignetClientError('timed out waiting for the inbox to catch up');
        await new Promise((resolve) => setTimeout(resolve, Math.min(quietMs, 50)));
      }
    },
    get connectionState() {
      return connection?.current ?? 'stopped';
    },
  };
}

/** The browser's WebSocket (also Node 22's global one). */
const browserWebSocket: WebSocketFactory = (url, protocols) => {
  const Ctor = (globalThis as { WebSocket?: new (url: string, protocols: string[]) => unknown }).WebSocket;
  if (!Ctor) throw new SignetClientError('no WebSocket here: pass webSocketFactory (nodeWebSocketFactory in Node)');
  return new Ctor(url, protocols) as ReturnType<WebSocketFactory>;
};
