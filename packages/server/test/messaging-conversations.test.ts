import { randomBytes } from 'node:crypto';
import { testDialects } from '@signet/common';
import { BlockList, Conversation, ConversationList, MessageAccepted } from '@signet/protocol';
import { Value } from 'typebox/value';
import { afterEach, describe, expect, it } from 'vitest';
import { TestServer } from './harness';
import {
  addMembers,
  blob,
  createConversation,
  groupId,
  identifiedUser,
  inbox,
  send,
  setState,
  type User,
} from './messaging-helpers';
import { settle } from './ws-client';

describe.each(testDialects())('conversations (%s)', (dialect) => {
  let t: TestServer;
  afterEach(async () => {
    await t?.close();
  });

  const get = (path: string, user: User) => t.request('GET', path, undefined, user.token);
  const conversation = async (id: string, user: User) => (await get(`/v1/conversations/${id}`, user)).body;

  /** Three identified users. */
  async function trio() {
    return [
      await identifiedUser(t, '+79001240001'),
      await identifiedUser(t, '+79001240002'),
      await identifiedUser(t, '+79001240003'),
    ] as const;
  }

  async function start(env: Record<string, string> = {}) {
    t = await TestServer.start(dialect, { env });
  }

  describe('membership', () => {
    it('creates a conversation with the creator as its only member, lists it and reads it', async () => {
      await start();
      const [a, b] = await trio();
      const conversationId = groupId();
      const created = await t.request('POST', '/v1/conversations', { conversationId, kind: 'group' }, a.token);
      expect(created.status).toBe(201);
      expect(Value.Check(Conversation, created.body)).toBe(true);
      expect(created.body).toEqual({
        conversationId,
        kind: 'group',
        epoch: 0,
        members: [a.accountId],
        createdAt: t.clock.now(),
      });

      const list = await get('/v1/conversations', a);
      expect(list.status).toBe(200);
      expect(Value.Check(ConversationList, list.body)).toBe(true);
      expect(list.body.conversations).toEqual([created.body]);
      expect((await get('/v1/conversations', b)).body.conversations).toEqual([]);

      const read = await get(`/v1/conversations/${conversationId}`, a);
      expect(read.status).toBe(200);
      expect(read.body).toEqual(created.body);

      const again = await t.request('POST', '/v1/conversations', { conversationId, kind: 'direct' }, b.token);
      expect(again.status).toBe(409);
      expect((await conversation(conversationId, a)).kind).toBe('group');
    });

    it('refuses an unidentified creator', async () => {
      await start();
      const { token } = await t.register('+79001240009');
      const res = await t.request('POST', '/v1/conversations', { conversationId: groupId(), kind: 'group' }, token);
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('NOT_IDENTIFIED');
    });

    it('answers 403 NOT_A_MEMBER to outsiders and 404 for an unknown conversation', async () => {
      await start();
      const [a, b] = await trio();
      const id = await createConversation(t, a);
      const outsider = await send(t, b, id);
      expect(outsider.status).toBe(403);
      expect(outsider.body.code).toBe('NOT_A_MEMBER');
      const read = await get(`/v1/conversations/${id}`, b);
      expect(read.status).toBe(403);
      expect(read.body.code).toBe('NOT_A_MEMBER');

      const unknown = await send(t, a, groupId());
      expect(unknown.status).toBe(404);
      expect((await get(`/v1/conversations/${groupId()}`, a)).status).toBe(404);
      const stored = await t.ctx.db.db.selectFrom('messages').select('id').execute();
      expect(stored).toEqual([]);
    });

    it('accepts a commit at the current epoch and moves the epoch on', async () => {
      await start();
      const [a, b] = await trio();
      const id = await createConversation(t, a);
      const first = await addMembers(t, a, id, 0, [b]);
      expect(Value.Check(MessageAccepted, first)).toBe(true);
      expect(first).toMatchObject({ epoch: 1, duplicate: false });
      const read = await conversation(id, a);
      expect(read.epoch).toBe(1);
      expect(read.members.sort()).toEqual([a.accountId, b.accountId].sort());

      const second = await send(t, b, id, { kind: 'commit', epoch: 1 });
      expect(second.status).toBe(200);
      expect(second.body.epoch).toBe(2);
      expect((await conversation(id, b)).epoch).toBe(2);
      // The commit carries the epoch it was made in; A gets it.
      const commits = (await inbox(t, a.deviceId)).filter((f) => f.kind === 'commit');
      expect(commits.map((f) => [f.epoch, f.senderDeviceId])).toEqual([[1, b.deviceId]]);
    });

    it('takes the first of two commits at one epoch and answers the second 409 EPOCH_CONFLICT', async () => {
      await start();
      const [a, b, c] = await trio();
      const id = await createConversation(t, a);
      await addMembers(t, a, id, 0, [b, c]);

      const won = await send(t, a, id, { kind: 'commit', epoch: 1 });
      expect(won.status).toBe(200);
      expect(won.body.epoch).toBe(2);
      const lost = await send(t, b, id, { kind: 'commit', epoch: 1 });
      expect(lost.status).toBe(409);
      expect(lost.body.code).toBe('EPOCH_CONFLICT');
      expect(lost.body.details).toEqual({ epoch: 2 });
      expect((await conversation(id, a)).epoch).toBe(2);

      // Only the winner reached the others.
      const cCommits = (await inbox(t, c.deviceId)).filter((f) => f.kind === 'commit');
      expect(cCommits.map((f) => f.senderDeviceId)).toEqual([a.deviceId]);

      // Raced: exactly one of two simultaneous commits wins.
      const raced = await Promise.all([
        send(t, b, id, { kind: 'commit', epoch: 2 }),
        send(t, c, id, { kind: 'commit', epoch: 2 }),
      ]);
      expect(raced.map((r) => r.status).sort()).toEqual([200, 409]);
      const loser = raced.find((r) => r.status === 409);
      expect(loser?.body).toMatchObject({ code: 'EPOCH_CONFLICT', details: { epoch: 3 } });
      expect((await conversation(id, a)).epoch).toBe(3);
      const aCommits = (await inbox(t, a.deviceId)).filter((f) => f.kind === 'commit' && f.epoch === 2);
      expect(aCommits).toHaveLength(1);
    });

    it('refuses an application message from a future epoch and accepts the current and past ones', async () => {
      await start();
      const [a, b] = await trio();
      const id = await createConversation(t, a);
      await addMembers(t, a, id, 0, [b]);
      const ahead = await send(t, a, id, { epoch: 2 });
      expect(ahead.status).toBe(400);
      expect(ahead.body.code).toBe('INVALID_ARGUMENT');
      expect((await send(t, a, id, { epoch: 1 })).status).toBe(200);
      // A message sent just before a commit arrives after it: the receiver still holds the old epoch's keys.
      expect((await send(t, a, id, { epoch: 0 })).status).toBe(200);
      const apps = (await inbox(t, b.deviceId)).filter((f) => f.kind === 'application');
      expect(apps.map((f) => f.epoch)).toEqual([1, 0]);
    });

    it('requires a Welcome with every add, and only commits change members', async () => {
      await start();
      const [a, b] = await trio();
      const id = await createConversation(t, a);
      const noWelcome = await send(t, a, id, { kind: 'commit', epoch: 0, add: [b.accountId] });
      expect(noWelcome.status).toBe(400);
      const notCommit = await send(t, a, id, { kind: 'application', add: [b.accountId], welcome: blob() });
      expect(notCommit.status).toBe(400);
      expect(await conversation(id, a)).toMatchObject({ epoch: 0, members: [a.accountId] });
      expect(await inbox(t, b.deviceId)).toEqual([]);
    });

    it("sends the Welcome only to the added accounts' devices and the commit to the existing members", async () => {
      await start();
      const [a, c, outsider] = await trio();
      // B has two devices, A a second one.
      const b1 = await t.register('+79001240004');
      const b2 = await t.register('+79001240004');
      await setState(t, b1.accountId, 'identified');
      const a2 = await t.register('+79001240001');
      expect(a2.accountId).toBe(a.accountId);
      await setState(t, a.accountId, 'identified');

      const id = await createConversation(t, a);
      await addMembers(t, a, id, 0, [c]);
      const welcome = blob();
      const commit = blob();
      const res = await send(t, a, id, { kind: 'commit', epoch: 1, add: [b1.accountId], welcome, payload: commit });
      expect(res.status).toBe(200);

      for (const d of [b1, b2]) {
        const frames = await inbox(t, d.deviceId);
        expect(frames.map((f) => [f.kind, f.payload, f.epoch])).toEqual([['welcome', welcome, 2]]);
        expect(frames[0]).toMatchObject({
          conversationId: id,
          senderAccountId: a.accountId,
          senderDeviceId: a.deviceId,
        });
      }
      const cFrames = await inbox(t, c.deviceId);
      expect(cFrames.map((f) => f.kind)).toEqual(['welcome', 'commit']);
      expect(cFrames[1]?.payload).toBe(commit);
      expect(cFrames.map((f) => f.payload)).not.toContain(welcome);
      // A's other device follows the group too; the sending device gets nothing back.
      expect((await inbox(t, a2.deviceId)).map((f) => f.payload)).toEqual(expect.arrayContaining([commit]));
      expect((await inbox(t, a2.deviceId)).map((f) => f.payload)).not.toContain(welcome);
      expect(await inbox(t, a.deviceId)).toEqual([]);
      expect(await inbox(t, outsider.deviceId)).toEqual([]);
      expect((await conversation(id, b2)).members.sort()).toEqual([a.accountId, b1.accountId, c.accountId].sort());
    });

    it('gives removed members the commit that removes them and nothing after', async () => {
      await start();
      const [a, b, c] = await trio();
      const id = await createConversation(t, a);
      await addMembers(t, a, id, 0, [b, c]);
      const removal = blob();
      const res = await send(t, a, id, { kind: 'commit', epoch: 1, remove: [c.accountId], payload: removal });
      expect(res.status).toBe(200);
      const after = blob();
      expect((await send(t, a, id, { epoch: 2, payload: after })).status).toBe(200);
      expect((await send(t, b, id, { epoch: 2 })).status).toBe(200);

      const cPayloads = (await inbox(t, c.deviceId)).map((f) => f.payload);
      expect(cPayloads).toContain(removal);
      expect(cPayloads.at(-1)).toBe(removal);
      expect((await inbox(t, b.deviceId)).map((f) => f.payload)).toEqual(expect.arrayContaining([removal, after]));

      const cSends = await send(t, c, id, { epoch: 2 });
      expect(cSends.status).toBe(403);
      expect(cSends.body.code).toBe('NOT_A_MEMBER');
      expect((await get('/v1/conversations', c)).body.conversations).toEqual([]);
      expect((await conversation(id, a)).members.sort()).toEqual([a.accountId, b.accountId].sort());
    });

    it('holds at most two members in a direct conversation', async () => {
      await start();
      const [a, b, c] = await trio();
      const id = await createConversation(t, a, 'direct');
      await addMembers(t, a, id, 0, [b]);
      const third = await send(t, a, id, { kind: 'commit', epoch: 1, add: [c.accountId], welcome: blob() });
      expect(third.status).toBeGreaterThanOrEqual(400);
      expect(third.status).toBeLessThan(500);
      expect(third.body.code).toBe('INVALID_ARGUMENT');
      const read = await conversation(id, a);
      expect(read.epoch).toBe(1);
      expect(read.members.sort()).toEqual([a.accountId, b.accountId].sort());
      expect(await inbox(t, c.deviceId)).toEqual([]);

      const both = await createConversation(t, a, 'direct');
      const two = await send(t, a, both, {
        kind: 'commit',
        epoch: 0,
        add: [b.accountId, c.accountId],
        welcome: blob(),
      });
      expect(two.body.code).toBe('INVALID_ARGUMENT');
      expect(await conversation(both, a)).toMatchObject({ epoch: 0, members: [a.accountId] });
    });
  });

  describe('blocking', () => {
    it('blocks, lists and unblocks privately', async () => {
      await start();
      const [a, b, c] = await trio();
      expect((await t.request('PUT', `/v1/blocks/${b.accountId}`, undefined, a.token)).status).toBe(204);
      expect((await t.request('PUT', `/v1/blocks/${b.accountId}`, undefined, a.token)).status).toBe(204);
      t.clock.advance(1000);
      expect((await t.request('PUT', `/v1/blocks/${c.accountId}`, undefined, a.token)).status).toBe(204);

      const list = await get('/v1/blocks', a);
      expect(list.status).toBe(200);
      expect(Value.Check(BlockList, list.body)).toBe(true);
      expect(list.body.blocked).toEqual([
        { accountId: b.accountId, at: t.clock.now() - 1000 },
        { accountId: c.accountId, at: t.clock.now() },
      ]);
      // Another account sees its own list only: not who blocks it.
      expect((await get('/v1/blocks', b)).body.blocked).toEqual([]);
      expect((await get('/v1/blocks', c)).body.blocked).toEqual([]);

      expect((await t.request('DELETE', `/v1/blocks/${b.accountId}`, undefined, a.token)).status).toBe(204);
      expect((await get('/v1/blocks', a)).body.blocked).toEqual([{ accountId: c.accountId, at: t.clock.now() }]);
      expect((await t.request('PUT', `/v1/blocks/${a.accountId}`, undefined, a.token)).status).toBe(400);
    });

    it("accepts a blocked sender's messages but does not deliver them to the blocker, while commits still go", async () => {
      await start();
      const [a, b, c] = await trio();
      const id = await createConversation(t, a);
      await addMembers(t, a, id, 0, [b, c]);
      expect((await t.request('PUT', `/v1/blocks/${b.accountId}`, undefined, a.token)).status).toBe(204);

      const hidden = blob();
      const res = await send(t, b, id, { epoch: 1, payload: hidden });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ epoch: 1, duplicate: false });
      expect(Object.keys(res.body).sort()).toEqual(['duplicate', 'epoch', 'messageId']);
      expect((await inbox(t, a.deviceId)).map((f) => f.payload)).not.toContain(hidden);
      expect((await inbox(t, c.deviceId)).map((f) => f.payload)).toContain(hidden);

      const commit = blob();
      expect((await send(t, b, id, { kind: 'commit', epoch: 1, payload: commit })).status).toBe(200);
      expect((await inbox(t, a.deviceId)).map((f) => f.payload)).toContain(commit);

      expect((await t.request('DELETE', `/v1/blocks/${b.accountId}`, undefined, a.token)).status).toBe(204);
      const shown = blob();
      expect((await send(t, b, id, { epoch: 2, payload: shown })).status).toBe(200);
      expect((await inbox(t, a.deviceId)).map((f) => f.payload)).toContain(shown);
    });

    it('does not deliver direct messages from a blocked user, and A can still write to B', async () => {
      await start();
      const [a, b] = await trio();
      const id = await createConversation(t, b, 'direct');
      await addMembers(t, b, id, 0, [a]);
      expect((await t.request('PUT', `/v1/blocks/${b.accountId}`, undefined, a.token)).status).toBe(204);
      const hidden = blob();
      expect((await send(t, b, id, { epoch: 1, payload: hidden })).status).toBe(200);
      expect((await inbox(t, a.deviceId)).filter((f) => f.kind === 'application')).toEqual([]);
      const reply = blob();
      expect((await send(t, a, id, { epoch: 1, payload: reply })).status).toBe(200);
      expect((await inbox(t, b.deviceId)).map((f) => f.payload)).toContain(reply);
    });

    it('does not let a blocked user add the blocker to a group', async () => {
      await start();
      const [a, b, c] = await trio();
      expect((await t.request('PUT', `/v1/blocks/${b.accountId}`, undefined, a.token)).status).toBe(204);
      const id = await createConversation(t, b);
      const res = await send(t, b, id, { kind: 'commit', epoch: 0, add: [c.accountId, a.accountId], welcome: blob() });
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('CANNOT_ADD');
      expect(res.body.message).not.toMatch(/block/i);
      expect(await conversation(id, b)).toMatchObject({ epoch: 0, members: [b.accountId] });
      expect(await inbox(t, a.deviceId)).toEqual([]);
      expect(await inbox(t, c.deviceId)).toEqual([]);
      // The blocker can add the blocked user; others can add the blocker.
      const other = await createConversation(t, c);
      expect((await send(t, c, other, { kind: 'commit', epoch: 0, add: [a.accountId], welcome: blob() })).status).toBe(
        200,
      );
    });
  });

  describe('attachments', () => {
    const upload = (user: User, conversationId: string, bytes: Buffer) =>
      fetch(`${t.url}/v1/attachments?conversationId=${conversationId}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${user.token}`, 'content-type': 'application/octet-stream' },
        body: new Uint8Array(bytes),
      });
    const download = (user: User, attachmentId: string) =>
      fetch(`${t.url}/v1/attachments/${attachmentId}`, { headers: { authorization: `Bearer ${user.token}` } });
    /**
     * Reads a download's bytes, then lets the server finish its file stream: the client has every byte
     * (Content-Length) before the server has seen the end of the file, and a server closed in between
     * keeps that connection open until its keep-alive timeout.
     */
    const bytesOf = async (res: Response) => {
      const bytes = Buffer.from(await res.arrayBuffer());
      await settle();
      return bytes;
    };

    it('stores encrypted bytes for members and gives them back to members only', async () => {
      await start();
      const [a, b, c] = await trio();
      const id = await createConversation(t, a);
      await addMembers(t, a, id, 0, [b]);
      const bytes = randomBytes(5000);
      const res = await upload(a, id, bytes);
      expect(res.status).toBe(201);
      const stored = (await res.json()) as { attachmentId: string; size: number };
      expect(stored.size).toBe(5000);

      const got = await download(b, stored.attachmentId);
      expect(got.status).toBe(200);
      expect(got.headers.get('content-type')).toBe('application/octet-stream');
      expect((await bytesOf(got)).equals(bytes)).toBe(true);

      const outsider = await download(c, stored.attachmentId);
      expect(outsider.status).toBe(403);
      expect(((await outsider.json()) as { code: string }).code).toBe('NOT_A_MEMBER');
      const outsiderUpload = await upload(c, id, randomBytes(10));
      expect(outsiderUpload.status).toBe(403);
      expect((await download(a, 'att_nothing')).status).toBe(404);
    });

    it('lets only identified members upload and download', async () => {
      await start();
      const [a, b] = await trio();
      const id = await createConversation(t, a);
      await addMembers(t, a, id, 0, [b]);
      const res = await upload(a, id, randomBytes(100));
      const { attachmentId } = (await res.json()) as { attachmentId: string };

      await setState(t, b.accountId, 'suspended');
      const held = await download(b, attachmentId);
      expect(held.status).toBe(403);
      expect(((await held.json()) as { code: string }).code).toBe('NOT_IDENTIFIED');
      const sent = await upload(b, id, randomBytes(100));
      expect(sent.status).toBe(403);
      expect(((await sent.json()) as { code: string }).code).toBe('NOT_IDENTIFIED');

      await setState(t, b.accountId, 'identified');
      const back = await download(b, attachmentId);
      expect(back.status).toBe(200);
      expect((await bytesOf(back)).length).toBe(100);
    });

    it('refuses an attachment over the size limit with 413', async () => {
      await start({ SIGNET_ATTACHMENT_MAX_SIZE: '1kb' });
      const [a] = await trio();
      const id = await createConversation(t, a);
      expect((await upload(a, id, randomBytes(1024))).status).toBe(201);
      const big = await upload(a, id, randomBytes(1025));
      expect(big.status).toBe(413);
      expect(((await big.json()) as { code: string }).code).toBe('TOO_LARGE');
      const rows = await t.ctx.db.db.selectFrom('attachments').select('size').execute();
      expect(rows.map((r) => Number(r.size))).toEqual([1024]);
    });
  });
});
