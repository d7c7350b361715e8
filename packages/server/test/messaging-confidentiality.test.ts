import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { testDialects } from '@signet/common';
import { afterEach, describe, expect, it } from 'vitest';
import { TestServer } from './harness';
import {
  addMembers,
  createConversation,
  dumpDatabase,
  identifiedUser,
  msgId,
  send,
  waitForMessages,
} from './messaging-helpers';
import { TestSocket } from './ws-client';

/** Stands in for MLS: AES-256-GCM under a key the two clients share and the server never sees. */
function encrypt(key: Buffer, plaintext: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64url');
}

function decrypt(key: Buffer, payload: string): string {
  const bytes = Buffer.from(payload, 'base64url');
  const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, 12));
  decipher.setAuthTag(bytes.subarray(bytes.length - 16));
  return Buffer.concat([decipher.update(bytes.subarray(12, bytes.length - 16)), decipher.final()]).toString('utf8');
}

/** The ways a server that kept plaintext might have written it down. */
const encodings = (text: string) => {
  const bytes = Buffer.from(text, 'utf8');
  return [text, bytes.toString('base64'), bytes.toString('base64url'), bytes.toString('hex')];
};

describe.each(testDialects())('confidentiality (%s)', (dialect) => {
  let t: TestServer;
  const sockets: TestSocket[] = [];
  afterEach(async () => {
    for (const s of sockets.splice(0)) s.close();
    await t?.close();
  });

  it('stores only the ciphertext it is given: the plaintext appears in no table and no blob', async () => {
    t = await TestServer.start(dialect);
    const a = await identifiedUser(t, '+79001260001');
    const b = await identifiedUser(t, '+79001260002');
    const id = await createConversation(t, a, 'direct');
    await addMembers(t, a, id, 0, [b]);

    const marker = `MARKER-${randomBytes(12).toString('hex')}`;
    const key = randomBytes(32);
    const payloads = [encrypt(key, `hello, this is ${marker}`), encrypt(key, `second: ${marker.toLowerCase()}`)];
    for (const payload of payloads) {
      expect((await send(t, a, id, { epoch: 1, payload, clientMessageId: msgId() })).status).toBe(200);
    }
    const attachment = Buffer.from(encrypt(key, `attachment ${marker}`), 'base64url');
    const uploaded = await fetch(`${t.url}/v1/attachments?conversationId=${id}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${a.token}`, 'content-type': 'application/octet-stream' },
      body: attachment,
    });
    expect(uploaded.status).toBe(201);

    // The recipient reads the plaintext: the marker really was in what was sent.
    const sb = await TestSocket.open(t.url, b.token);
    sockets.push(sb);
    const frames = await waitForMessages(sb, 3);
    expect(decrypt(key, frames[1]?.payload ?? '')).toContain(marker);
    expect(decrypt(key, frames[2]?.payload ?? '')).toContain(marker.toLowerCase());

    // B has not acknowledged, so the messages are still stored; the dump must show their ciphertext.
    const dump = await dumpDatabase(t);
    for (const payload of payloads) expect(dump).toContain(payload);
    expect(dump).toContain(a.accountId);
    for (const text of [...encodings(marker), ...encodings(marker.toLowerCase())]) {
      expect(dump).not.toContain(text);
    }

    const dir = t.ctx.config.messaging.attachmentsDir;
    const blobs = readdirSync(dir).map((f) => readFileSync(join(dir, f)));
    expect(blobs).toHaveLength(1);
    expect(blobs[0]?.equals(attachment)).toBe(true);
    for (const text of encodings(marker)) expect(blobs[0]?.includes(Buffer.from(text))).toBe(false);
  });
});
