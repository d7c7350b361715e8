// Scenario helpers: a real server (the server package's harness) and real SDK clients in-process.
import type { AccountState } from '@signet/protocol';
import { TestServer } from '../../server/test/harness';
import {
  type ClientEvents,
  createSignetClient,
  type KeyChange,
  type SignetClient,
  type StoredMessage,
  type WebSocketFactory,
} from '../src';
import { nodeWebSocketFactory } from '../src/node';
import { type KeyStore, MemoryKeyStore } from '../src/store/key-store';

export { TestServer };

/** A user's device in a scenario: its client and everything it emitted. */
export interface Device {
  client: SignetClient;
  store: KeyStore;
  phone: string;
  accountId: string;
  deviceId: string;
  messages: StoredMessage[];
  conversations: ClientEvents['conversation'][];
  keyChanges: KeyChange[];
  errors: unknown[];
  /** The texts received, in order. */
  texts(conversationId?: string): string[];
}

export interface DeviceOptions {
  store?: KeyStore;
  /** Wraps the client's fetch (to watch or hold requests). */
  fetch?: typeof fetch;
  /** Register and identify, but do not connect. */
  offline?: boolean;
  webSocketFactory?: WebSocketFactory;
}

/** Sets an account's identification state as the identification manager would, and announces it. */
export async function setState(t: TestServer, accountId: string, state: AccountState): Promise<void> {
  await t.ctx.db.db.updateTable('accounts').set({ state }).where('id', '=', accountId).execute();
  await t.ctx.identification.manager.announce([{ accountId, state, failure: null, deadlineAt: null }]);
}

/** A client over a key store (a new memory store unless given), its events collected. */
export async function openClient(t: TestServer, phone: string, options: DeviceOptions = {}) {
  const store = options.store ?? new MemoryKeyStore();
  const client = await createSignetClient({
    baseUrl: t.url,
    store,
    webSocketFactory: options.webSocketFactory ?? nodeWebSocketFactory,
    keyPackageBatch: 12,
    reconnect: { initialDelayMs: 50, maxDelayMs: 500 },
    catchUpTimeoutMs: 10_000,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  const device: Device = {
    client,
    store,
    phone,
    accountId: client.session.current?.accountId ?? '',
    deviceId: client.session.current?.deviceId ?? '',
    messages: [],
    conversations: [],
    keyChanges: [],
    errors: [],
    texts(conversationId) {
      return this.messages
        .filter((m) => conversationId === undefined || m.conversationId === conversationId)
        .map((m) => (m.content.type === 'text' ? m.content.text : `[${m.content.type}]`));
    },
  };
  client.on('message', (m) => device.messages.push(m));
  client.on('conversation', (c) => device.conversations.push(c));
  client.on('keyChanged', (k) => device.keyChanges.push(k));
  client.on('error', (e) => device.errors.push(e.error));
  return device;
}

/** Registers the number through the SDK (code from the SMS sink), without identifying it. */
export async function register(t: TestServer, device: Device): Promise<void> {
  const { session } = device.client;
  const verification = await session.startVerification(device.phone);
  const code = t.sms.lastCode(verification.phoneNumber);
  if (!code) throw new Error('no SMS code');
  await session.verifyCode(verification.id, code);
  const registered = await session.register({ verificationSessionId: verification.id, deviceName: 'scenario' });
  device.accountId = registered.accountId;
  device.deviceId = registered.deviceId;
}

/** A registered, identified user whose device is ready (credential, KeyPackages) and connected unless offline. */
export async function identifiedUser(t: TestServer, phone: string, options: DeviceOptions = {}): Promise<Device> {
  const device = await openClient(t, phone, options);
  await register(t, device);
  await setState(t, device.accountId, 'identified');
  if (options.offline) {
    await device.client.session.identification();
    await device.client.device.ensureReady();
  } else {
    await device.client.start();
    await device.client.sync();
  }
  return device;
}

/** Polls until the condition holds. */
export async function waitFor(condition: () => boolean | Promise<boolean>, what = 'condition', timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Lets in-flight deliveries land, to assert that something did not arrive. */
export async function settle(...devices: Device[]): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 400));
  for (const d of devices) await d.client.inbox.idle();
}

/** A fetch that records every answer's status and code, and can hold matching requests until released. */
export function watchedFetch() {
  const answers: { method: string; url: string; status: number; code?: string }[] = [];
  let hold: { match: (url: string, body: string) => boolean; until: Promise<void> } | undefined;
  const fetchImpl: typeof fetch = async (input, init) => {
    const url = String(input);
    const body = typeof init?.body === 'string' ? init.body : '';
    if (hold?.match(url, body)) await hold.until;
    const res = await fetch(input, init);
    let code: string | undefined;
    if (!res.ok) {
      code = await res
        .clone()
        .json()
        .then((b: { code?: string }) => b.code)
        .catch(() => undefined);
    }
    answers.push({ method: init?.method ?? 'GET', url, status: res.status, ...(code ? { code } : {}) });
    return res;
  };
  return {
    fetch: fetchImpl,
    answers,
    holdWhile(match: (url: string, body: string) => boolean, until: Promise<void>) {
      hold = { match, until };
    },
  };
}

/** The Node WebSocket, except that acknowledgements are not sent while `control.drop` is set (a crash before the ack). */
export function ackDropping(control: { drop: boolean }): WebSocketFactory {
  return (url, protocols) => {
    const socket = nodeWebSocketFactory(url, protocols);
    const send = socket.send.bind(socket);
    socket.send = (data: string) => {
      if (control.drop && data.includes('"ack"')) return;
      send(data);
    };
    return socket;
  };
}
