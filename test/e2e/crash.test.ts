/**
 * A messenger killed with SIGKILL in the middle of traffic loses no acknowledged message, and after a
 * restart every acknowledged message reaches its recipient exactly once (the client sees each seq once;
 * retried sends with the same client message id are stored once).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Database } from '@signet/common';
import type { InboxFrame } from '@signet/protocol';
import type { Schema } from '@signet/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';

const SIGNET = join(import.meta.dirname, '..', '..', 'packages', 'cli', 'bin', 'signet.mjs');

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

describe('a messenger killed mid-traffic', () => {
  const dir = mkdtempSync(join(tmpdir(), 'signet-crash-'));
  let port = 0;
  let base = '';
  let child: ChildProcess | undefined;

  async function startServer(): Promise<void> {
    child = spawn(process.execPath, [SIGNET, 'server'], {
      env: {
        ...process.env,
        SIGNET_ENV: 'development',
        SIGNET_SMS_PROVIDER: 'dev',
        SIGNET_HOST: '127.0.0.1',
        SIGNET_PORT: String(port),
        SIGNET_DATA_DIR: dir,
        SIGNET_LOG_LEVEL: 'warn',
        SIGNET_LIMIT_SMS_ADDRESS: '1000/1h',
        SIGNET_LIMIT_REGISTRATION_ADDRESS: '1000/1h',
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    for (let i = 0; i < 300; i++) {
      try {
        if ((await fetch(`${base}/health`)).ok) return;
      } catch {
        // not up yet
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('server did not start');
  }

  async function call(method: string, path: string, body?: unknown, token?: string) {
    const res = await fetch(base + path, {
      method,
      headers: {
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  }

  async function register(phoneNumber: string) {
    const session = await call('POST', '/v1/verification/sessions', { phoneNumber });
    const sms = await call('GET', `/v1/dev/sms?phoneNumber=${encodeURIComponent(phoneNumber)}`);
    const code = /\d{6}/.exec(sms.body.messages[0].text)?.[0];
    await call('POST', `/v1/verification/sessions/${session.body.id}/verify`, { code });
    const reg = await call('POST', '/v1/registration', {
      verificationSessionId: session.body.id,
      deviceName: 'crash test',
    });
    return reg.body as { accountId: string; token: string };
  }

  beforeAll(async () => {
    port = await freePort();
    base = `http://127.0.0.1:${port}`;
    await startServer();
  });

  afterAll(async () => {
    child?.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps every acknowledged send and delivers each once after a restart', async () => {
    const alice = await register('+79001230001');
    const bob = await register('+79001230002');
    // No operator is configured here: identification is not under test, so mark both identified directly.
    const db = Database.open<Schema>({ sqlitePath: join(dir, 'signet.db') });
    await db.db
      .updateTable('accounts')
      .set({ state: 'identified' })
      .where('id', 'in', [alice.accountId, bob.accountId])
      .execute();
    await db.close();

    const conversationId = randomBytes(16).toString('base64url');
    expect((await call('POST', '/v1/conversations', { conversationId, kind: 'direct' }, alice.token)).status).toBe(201);
    const added = await call(
      'POST',
      `/v1/conversations/${conversationId}/messages`,
      {
        clientMessageId: 'add-bob',
        kind: 'commit',
        epoch: 0,
        payload: 'Y29tbWl0',
        add: [bob.accountId],
        welcome: 'd2VsY29tZQ',
      },
      alice.token,
    );
    expect(added.status).toBe(200);

    // Traffic: 400 sends, 8 at a time; SIGKILL lands in the middle.
    const total = 400;
    const acknowledged = new Set<string>();
    let next = 0;
    const sendOne = async (i: number) => {
      const clientMessageId = `m${i}`;
      try {
        const res = await call(
          'POST',
          `/v1/conversations/${conversationId}/messages`,
          {
            clientMessageId,
            kind: 'application',
            epoch: 1,
            payload: Buffer.from(`ciphertext ${i}`).toString('base64url'),
          },
          alice.token,
        );
        if (res.status === 200) acknowledged.add(clientMessageId);
      } catch {
        // the server died under this request: not acknowledged
      }
    };
    const worker = async () => {
      while (next < total) {
        const i = next++;
        if (i === 150) child?.kill('SIGKILL');
        await sendOne(i);
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
    expect(acknowledged.size).toBeGreaterThan(100);
    expect(acknowledged.size).toBeLessThan(total);

    await startServer();
    // The client retries what was not acknowledged, with the same ids.
    for (let i = 0; i < total; i++) if (!acknowledged.has(`m${i}`)) await sendOne(i);
    expect(acknowledged.size).toBe(total);

    // Bob gets the Welcome that added him, then every application message.
    const received = await receiveAll(bob.token, total + 1);
    const seqs = received.map((f) => f.seq);
    expect(new Set(seqs).size).toBe(seqs.length);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    const ids = received.filter((f) => f.kind === 'application').map((f) => f.clientMessageId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(ids)).toEqual(new Set([...acknowledged]));
  }, 120_000);

  /** Connects as the recipient, acknowledges as it goes, and returns what arrived. */
  async function receiveAll(token: string, expected: number): Promise<InboxFrame[]> {
    const ws = new WebSocket(`${base.replace('http', 'ws')}/v1/ws`, ['signet.v1', `bearer.${token}`]);
    const frames: InboxFrame[] = [];
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`only ${frames.length} of ${expected} frames arrived`)), 30_000);
      ws.on('message', (data) => {
        const frame = JSON.parse(String(data));
        if (frame.type !== 'message') return;
        frames.push(frame);
        ws.send(JSON.stringify({ type: 'ack', seq: frame.seq }));
        if (frames.length >= expected) {
          clearTimeout(timer);
          resolve();
        }
      });
      ws.on('error', reject);
    });
    ws.close();
    return frames;
  }
});
