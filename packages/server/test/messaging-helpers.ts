import { randomBytes } from 'node:crypto';
import type { AccountState, InboxFrame, ServerFrame } from '@signet/protocol';
import { sql } from 'kysely';
import type { TestServer } from './harness';
import type { TestSocket } from './ws-client';

export interface User {
  accountId: string;
  deviceId: string;
  token: string;
}

/**
 * Sets an account's identification state directly (identification itself is tested elsewhere) and
 * announces it, so that live connections learn it as they would from the identification manager.
 */
export async function setState(t: TestServer, accountId: string, state: AccountState): Promise<void> {
  await t.ctx.db.db.updateTable('accounts').set({ state }).where('id', '=', accountId).execute();
  await t.ctx.identification.manager.announce([{ accountId, state, failure: null, deadlineAt: null }]);
}

/** Registers a number and makes the account identified. */
export async function identifiedUser(t: TestServer, phone: string): Promise<User> {
  const { accountId, deviceId, token } = await t.register(phone);
  await setState(t, accountId, 'identified');
  return { accountId, deviceId, token };
}

/** A fresh MLS-group-like id in base64url. */
export const groupId = () => randomBytes(18).toString('base64url');

/** Opaque bytes standing in for an MLS message. */
export const blob = (n = 48) => randomBytes(n).toString('base64url');

let counter = 0;
export const msgId = () => `m${Date.now().toString(36)}${(counter++).toString(36)}`;

export function messageFrames(socket: TestSocket): InboxFrame[] {
  return socket.frames.filter((f): f is InboxFrame => f.type === 'message');
}

export function errorFrames(socket: TestSocket): Extract<ServerFrame, { type: 'error' }>[] {
  return socket.frames.filter((f): f is Extract<ServerFrame, { type: 'error' }> => f.type === 'error');
}

/** Waits until the socket has received at least `count` message frames, and returns them. */
export async function waitForMessages(socket: TestSocket, count: number): Promise<InboxFrame[]> {
  await socket.waitFor(() => messageFrames(socket).length >= count);
  return messageFrames(socket);
}

/** The rows of every table of the server's database, as text. */
export async function dumpDatabase(t: TestServer): Promise<string> {
  const db = t.ctx.db.db;
  const names =
    t.ctx.db.dialect === 'postgres'
      ? (
          await sql<{ name: string }>`select table_name as name from information_schema.tables
            where table_schema = current_schema() and table_type = 'BASE TABLE'`.execute(db)
        ).rows
      : (await sql<{ name: string }>`select name from sqlite_master where type = 'table'`.execute(db)).rows;
  const out: string[] = [];
  for (const { name } of names) {
    const rows = (await sql<Record<string, unknown>>`select * from ${sql.table(name)}`.execute(db)).rows;
    out.push(`${name}: ${JSON.stringify(rows, (_k, v) => (typeof v === 'bigint' ? String(v) : v))}`);
  }
  return out.join('\n');
}

/** Creates a conversation as `owner` and answers its id. */
export async function createConversation(
  t: TestServer,
  owner: User,
  kind: 'direct' | 'group' = 'group',
): Promise<string> {
  const conversationId = groupId();
  const res = await t.request('POST', '/v1/conversations', { conversationId, kind }, owner.token);
  if (res.status !== 201) throw new Error(`create failed: ${res.status} ${res.text}`);
  return conversationId;
}

export interface SendOptions {
  kind?: 'application' | 'commit' | 'proposal';
  epoch?: number;
  payload?: string;
  clientMessageId?: string;
  add?: string[];
  remove?: string[];
  welcome?: string;
}

/** Sends a message as the user's device; an application message at epoch 0 unless told otherwise. */
export function send(t: TestServer, user: User, conversationId: string, options: SendOptions = {}) {
  const body = {
    clientMessageId: options.clientMessageId ?? msgId(),
    kind: options.kind ?? 'application',
    epoch: options.epoch ?? 0,
    payload: options.payload ?? blob(),
    ...(options.add ? { add: options.add } : {}),
    ...(options.remove ? { remove: options.remove } : {}),
    ...(options.welcome ? { welcome: options.welcome } : {}),
  };
  return t.request('POST', `/v1/conversations/${conversationId}/messages`, body, user.token);
}

/** A commit at `epoch` that adds these accounts, with a Welcome for them; must succeed. */
export async function addMembers(t: TestServer, by: User, conversationId: string, epoch: number, add: User[]) {
  const res = await send(t, by, conversationId, {
    kind: 'commit',
    epoch,
    add: add.map((u) => u.accountId),
    welcome: blob(),
  });
  if (res.status !== 200) throw new Error(`add failed: ${res.status} ${res.text}`);
  return res.body as { messageId: number; epoch: number; duplicate: boolean };
}

/** What waits in a device's inbox, read the way the WebSocket reads it. */
export function inbox(t: TestServer, deviceId: string): Promise<InboxFrame[]> {
  return t.ctx.messaging.delivery.pending(deviceId, 0, 1000);
}
