import { HOUR, MINUTE, testDialects } from '@signet/common';
import { type InboxFrame, ServerFrame } from '@signet/protocol';
import { Value } from 'typebox/value';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { TestServer } from './harness';
import {
  addMembers,
  blob,
  createConversation,
  errorFrames,
  identifiedUser,
  inbox,
  messageFrames,
  msgId,
  send,
  setState,
  type User,
  waitForMessages,
} from './messaging-helpers';
import { settle, TestSocket } from './ws-client';

describe.each(testDialects())('delivery (%s)', (dialect) => {
  let t: TestServer;
  const sockets: TestSocket[] = [];
  afterEach(async () => {
    for (const s of sockets.splice(0)) s.close();
    await t?.close();
  });

  async function start(env: Record<string, string> = {}) {
    t = await TestServer.start(dialect, { env });
  }

  const connect = async (user: User) => {
    const socket = await TestSocket.open(t.url, user.token);
    sockets.push(socket);
    return socket;
  };

  /** A and B in a direct conversation at epoch 1; B's inbox holds the Welcome. */
  async function pair() {
    const a = await identifiedUser(t, '+79001250001');
    const b = await identifiedUser(t, '+79001250002');
    const id = await createConversation(t, a, 'direct');
    await addMembers(t, a, id, 0, [b]);
    return { a, b, id };
  }

  /** Sends application messages at epoch 1 and answers their payloads. */
  async function sendMany(from: User, id: string, n: number): Promise<string[]> {
    const payloads: string[] = [];
    for (let i = 0; i < n; i++) {
      const payload = blob();
      const res = await send(t, from, id, { epoch: 1, payload });
      expect(res.status).toBe(200);
      payloads.push(payload);
    }
    return payloads;
  }

  function expectWellFormed(socket: TestSocket) {
    for (const f of socket.frames) expect(Value.Check(ServerFrame, f), JSON.stringify(f)).toBe(true);
  }

  const increasing = (frames: InboxFrame[]) => frames.every((f, i) => i === 0 || f.seq > (frames[i - 1]?.seq ?? 0));

  describe('inbox', () => {
    it('stores a send before acknowledging it and gives it to an offline device on connect, in order', async () => {
      await start();
      const { a, b, id } = await pair();
      const clientMessageId = msgId();
      const payload = blob();
      const first = await send(t, a, id, { epoch: 1, payload, clientMessageId });
      expect(first.status).toBe(200);
      expect(first.body).toEqual({ messageId: expect.any(Number), epoch: 1, duplicate: false });
      // Durably stored when acknowledged.
      const row = await t.ctx.db.db
        .selectFrom('messages')
        .select(['payload', 'client_message_id'])
        .where('id', '=', first.body.messageId)
        .executeTakeFirst();
      expect(row).toEqual({ payload, client_message_id: clientMessageId });
      const more = await sendMany(a, id, 2);

      const sb = await connect(b);
      const frames = await waitForMessages(sb, 4);
      expect(frames.map((f) => f.kind)).toEqual(['welcome', 'application', 'application', 'application']);
      expect(frames.slice(1).map((f) => f.payload)).toEqual([payload, ...more]);
      expect(increasing(frames)).toBe(true);
      expect(frames[1]).toEqual({
        type: 'message',
        seq: frames[1]?.seq,
        conversationId: id,
        kind: 'application',
        epoch: 1,
        senderAccountId: a.accountId,
        senderDeviceId: a.deviceId,
        clientMessageId,
        payload,
        sentAt: t.clock.now(),
      });
      await settle();
      expect(messageFrames(sb)).toHaveLength(4);
      expectWellFormed(sb);
    });

    it('stores a retried send once and answers the retry as a duplicate', async () => {
      await start();
      const { a, b, id } = await pair();
      const clientMessageId = msgId();
      const payload = blob();
      const first = await send(t, a, id, { epoch: 1, payload, clientMessageId });
      const retry = await send(t, a, id, { epoch: 1, payload, clientMessageId });
      expect(first.body.duplicate).toBe(false);
      expect(retry.status).toBe(200);
      expect(retry.body).toEqual({ messageId: first.body.messageId, epoch: 1, duplicate: true });

      // Two copies of one send racing each other.
      const racedId = msgId();
      const raced = await Promise.all([
        send(t, a, id, { epoch: 1, clientMessageId: racedId }),
        send(t, a, id, { epoch: 1, clientMessageId: racedId }),
      ]);
      expect(raced.map((r) => r.status)).toEqual([200, 200]);
      expect(raced[0]?.body.messageId).toBe(raced[1]?.body.messageId);
      expect(raced.map((r) => r.body.duplicate).sort()).toEqual([false, true]);

      const rows = await t.ctx.db.db
        .selectFrom('messages')
        .select('client_message_id')
        .where('kind', '=', 'application')
        .execute();
      expect(rows.map((r) => r.client_message_id).sort()).toEqual([clientMessageId, racedId].sort());
      const apps = (await inbox(t, b.deviceId)).filter((f) => f.kind === 'application');
      expect(apps.map((f) => f.clientMessageId)).toEqual([clientMessageId, racedId]);

      // Another device of the same account may use the same client id: it is a different send.
      const a2 = await t.register('+79001250001');
      await setState(t, a.accountId, 'identified');
      const other = await send(t, a2, id, { epoch: 1, clientMessageId });
      expect(other.body.duplicate).toBe(false);
      expect(other.body.messageId).not.toBe(first.body.messageId);
    });

    it('deletes what a device acknowledges; a reconnect resumes from the oldest unacknowledged entry', async () => {
      await start();
      const { a, b, id } = await pair();
      const payloads = await sendMany(a, id, 3);
      const first = await connect(b);
      const frames = await waitForMessages(first, 4);
      first.send({ type: 'ack', seq: frames[2]?.seq });
      await vi.waitFor(async () => expect(await inbox(t, b.deviceId)).toHaveLength(1));
      first.close();

      const second = await connect(b);
      const again = await waitForMessages(second, 1);
      await settle();
      expect(messageFrames(second)).toHaveLength(1);
      expect(again[0]?.payload).toBe(payloads[2]);
      expect(again[0]?.seq).toBe(frames[3]?.seq);

      second.send({ type: 'ack', seq: again[0]?.seq });
      await vi.waitFor(async () => expect(await inbox(t, b.deviceId)).toEqual([]));
      second.close();
      const third = await connect(b);
      await settle();
      expect(messageFrames(third)).toEqual([]);
      // Nothing waits any more; the rows of the application messages went with their last entries.
      expect((await t.ctx.db.db.selectFrom('inbox').select('seq').execute()).length).toBe(0);
      const left = await t.ctx.db.db.selectFrom('messages').select('kind').execute();
      expect(left.map((r) => r.kind)).not.toContain('application');
    });

    it('pushes a message live to a connected device', async () => {
      await start();
      const { a, b, id } = await pair();
      const sb = await connect(b);
      const [welcome] = await waitForMessages(sb, 1);
      sb.send({ type: 'ack', seq: welcome?.seq });
      const payload = blob();
      expect((await send(t, a, id, { epoch: 1, payload })).status).toBe(200);
      const frames = await waitForMessages(sb, 2);
      expect(frames[1]).toMatchObject({ kind: 'application', payload, senderDeviceId: a.deviceId });
      expect(frames[1]?.seq).toBeGreaterThan(welcome?.seq ?? Number.POSITIVE_INFINITY);
      const more = await sendMany(a, id, 3);
      const all = await waitForMessages(sb, 5);
      expect(all.slice(2).map((f) => f.payload)).toEqual(more);
      expect(increasing(all)).toBe(true);
      expectWellFormed(sb);
    });

    it('loses nothing when sends from many connections race to a device that acknowledges each at once', async () => {
      await start();
      const { a, b, id } = await pair();
      const c = await identifiedUser(t, '+79001250003');
      const other = await createConversation(t, c, 'direct');
      await addMembers(t, c, other, 0, [b]);
      const sb = await connect(b);
      sb.autoAck();
      await waitForMessages(sb, 2);
      // On PostgreSQL each send is its own transaction on its own pooled connection, committing in any order.
      const payloads = Array.from({ length: 60 }, () => blob());
      const results = await Promise.all(
        payloads.map((payload, i) => send(t, i % 2 ? a : c, i % 2 ? id : other, { epoch: 1, payload })),
      );
      expect(results.map((r) => r.status)).toEqual(payloads.map(() => 200));
      const frames = await waitForMessages(sb, 2 + payloads.length);
      expect(new Set(frames.slice(2).map((f) => f.payload))).toEqual(new Set(payloads));
      expect(increasing(frames)).toBe(true);
      await vi.waitFor(async () => expect(await inbox(t, b.deviceId)).toEqual([]));
      await settle();
      expect(messageFrames(sb)).toHaveLength(2 + payloads.length);
    });

    it("sends to the sender's other devices but not back to the sending one", async () => {
      await start();
      const { a, b, id } = await pair();
      const a2 = await t.register('+79001250001');
      await setState(t, a.accountId, 'identified');
      const [s1, s2, sb] = [await connect(a), await connect(a2), await connect(b)];
      const payload = blob();
      expect((await send(t, a, id, { epoch: 1, payload })).status).toBe(200);
      expect((await waitForMessages(s2, 1))[0]).toMatchObject({ payload, senderDeviceId: a.deviceId });
      await waitForMessages(sb, 2);
      await settle();
      expect(messageFrames(s1)).toEqual([]);
      expect(await inbox(t, a.deviceId)).toEqual([]);
      expect(messageFrames(sb).map((f) => f.payload)).toContain(payload);
    });
  });

  describe('delivered', () => {
    /** Acknowledges everything the socket has received, and waits until the device's inbox is empty. */
    async function ackAll(socket: TestSocket, user: User) {
      const frames = messageFrames(socket);
      socket.send({ type: 'ack', seq: frames[frames.length - 1]?.seq });
      await vi.waitFor(async () => expect(await inbox(t, user.deviceId)).toEqual([]));
    }

    it("tells the sender's account once the recipient acknowledges, once, in one event per batch", async () => {
      await start();
      const { a, b, id } = await pair();
      const sa = await connect(a);
      const sb = await connect(b);
      // The Welcome is no application message: acknowledging it tells nobody.
      await waitForMessages(sb, 1);
      await ackAll(sb, b);
      const ids = [msgId(), msgId()];
      for (const clientMessageId of ids) {
        expect((await send(t, a, id, { epoch: 1, clientMessageId })).status).toBe(200);
      }
      await waitForMessages(sb, 3);
      await settle();
      expect(sa.events('message.delivered')).toEqual([]);

      await ackAll(sb, b);
      const [delivered] = await sa.waitForEvents('message.delivered');
      expect(delivered).toEqual({
        type: 'message.delivered',
        conversationId: id,
        clientMessageIds: ids,
        at: t.clock.now(),
      });
      // Acknowledged again (a reconnect), it is not told again.
      sb.send({ type: 'ack', seq: messageFrames(sb)[2]?.seq });
      await settle();
      expect(sa.events('message.delivered')).toHaveLength(1);
      expect(sb.events('message.delivered')).toEqual([]);
      expectWellFormed(sa);
    });

    it('tells a group message delivered only when every device it was queued for has acknowledged it', async () => {
      await start();
      const a = await identifiedUser(t, '+79001250001');
      const b = await identifiedUser(t, '+79001250002');
      const b2 = await t.register('+79001250002');
      await setState(t, b.accountId, 'identified');
      const c = await identifiedUser(t, '+79001250003');
      const group = await createConversation(t, a, 'group');
      await addMembers(t, a, group, 0, [b, c]);
      const sa = await connect(a);
      const [sb, sb2, sc] = [await connect(b), await connect(b2), await connect(c)];
      for (const [socket, user] of [
        [sb, b],
        [sb2, b2],
        [sc, c],
      ] as const) {
        await waitForMessages(socket, 1);
        await ackAll(socket, user);
      }
      const clientMessageId = msgId();
      expect((await send(t, a, group, { epoch: 1, clientMessageId })).status).toBe(200);
      for (const socket of [sb, sb2, sc]) await waitForMessages(socket, 2);

      await ackAll(sb, b);
      await ackAll(sc, c);
      await settle();
      expect(sa.events('message.delivered')).toEqual([]);

      await ackAll(sb2, b2);
      const events = await sa.waitForEvents('message.delivered');
      expect(events).toEqual([
        { type: 'message.delivered', conversationId: group, clientMessageIds: [clientMessageId], at: t.clock.now() },
      ]);
      await settle();
      expect(sa.events('message.delivered')).toHaveLength(1);
    });

    it('never tells a message delivered that expired before every device had it', async () => {
      await start({ SIGNET_MESSAGE_RETENTION: '1h' });
      const a = await identifiedUser(t, '+79001250001');
      const b = await identifiedUser(t, '+79001250002');
      const c = await identifiedUser(t, '+79001250003');
      const group = await createConversation(t, a, 'group');
      await addMembers(t, a, group, 0, [b, c]);
      const sa = await connect(a);
      const expired = msgId();
      expect((await send(t, a, group, { epoch: 1, clientMessageId: expired })).status).toBe(200);
      const sb = await connect(b);
      await waitForMessages(sb, 2);
      await ackAll(sb, b);

      // C never came online: its entry expires, and with it the message.
      t.clock.advance(HOUR + 1);
      await t.ctx.messaging.delivery.sweep();
      expect(await inbox(t, c.deviceId)).toEqual([]);
      const sc = await connect(c);
      await settle();
      expect(messageFrames(sc)).toEqual([]);

      // A message sent now is told delivered once both have it; the expired one never is.
      const fresh = msgId();
      expect((await send(t, a, group, { epoch: 1, clientMessageId: fresh })).status).toBe(200);
      await waitForMessages(sb, 3);
      await waitForMessages(sc, 1);
      await ackAll(sb, b);
      await ackAll(sc, c);
      await sa.waitForEvents('message.delivered');
      await settle();
      expect(sa.events('message.delivered').map((e) => e.clientMessageIds)).toEqual([[fresh]]);
    });
  });

  describe('connections', () => {
    it("still closes a revoked device's socket, and sends nothing more to it", async () => {
      await start();
      const { a, b, id } = await pair();
      const b2 = await t.register('+79001250002');
      await setState(t, b.accountId, 'identified');
      const [s1, s2] = [await connect(b), await connect(b2)];
      await waitForMessages(s1, 1);
      expect((await t.request('DELETE', `/v1/devices/${b2.deviceId}`, undefined, b.token)).status).toBe(204);
      expect(await s2.waitClosed()).toEqual({ code: 4001, reason: 'device revoked' });
      const payload = blob();
      expect((await send(t, a, id, { epoch: 1, payload })).status).toBe(200);
      expect((await waitForMessages(s1, 2))[1]?.payload).toBe(payload);
      expect(messageFrames(s2).map((f) => f.payload)).not.toContain(payload);
      expect(s1.isOpen).toBe(true);
    });
  });

  describe('backpressure', () => {
    it('sends at most `window` unacknowledged entries, and more as they are acknowledged', async () => {
      await start({ SIGNET_DELIVERY_WINDOW: '5' });
      const { a, b, id } = await pair();
      const payloads = await sendMany(a, id, 9);
      const sb = await connect(b);
      await waitForMessages(sb, 5);
      // Live sends while the window is full wait too.
      payloads.push(...(await sendMany(a, id, 2)));
      await settle();
      expect(messageFrames(sb)).toHaveLength(5);

      sb.send({ type: 'ack', seq: messageFrames(sb)[2]?.seq });
      await waitForMessages(sb, 8);
      await settle();
      expect(messageFrames(sb)).toHaveLength(8);

      sb.send({ type: 'ack', seq: messageFrames(sb)[7]?.seq });
      await waitForMessages(sb, 12);
      await settle();
      const frames = messageFrames(sb);
      expect(frames).toHaveLength(12);
      expect(frames.slice(1).map((f) => f.payload)).toEqual(payloads);
      expect(increasing(frames)).toBe(true);
      expect(new Set(frames.map((f) => f.seq)).size).toBe(12);
    });

    it('holds live messages beyond the window for a connected device that never acknowledges', async () => {
      await start({ SIGNET_DELIVERY_WINDOW: '5' });
      const { a, b, id } = await pair();
      const sb = await connect(b);
      await waitForMessages(sb, 1);
      await sendMany(a, id, 8);
      await waitForMessages(sb, 5);
      await settle();
      expect(messageFrames(sb)).toHaveLength(5);
      expect(await inbox(t, b.deviceId)).toHaveLength(9);
    });
  });

  describe('limits and expiry', () => {
    it('expires undelivered entries after the retention period', async () => {
      await start({ SIGNET_MESSAGE_RETENTION: '1h' });
      const { a, b, id } = await pair();
      const [old] = await sendMany(a, id, 1);
      t.clock.advance(30 * MINUTE);
      const [recent] = await sendMany(a, id, 1);
      t.clock.advance(30 * MINUTE);
      await t.ctx.messaging.delivery.sweep();
      // Exactly at the limit nothing goes yet.
      expect((await inbox(t, b.deviceId)).map((f) => f.payload)).toContain(old);

      t.clock.advance(1);
      await t.ctx.messaging.delivery.sweep();
      expect((await inbox(t, b.deviceId)).map((f) => f.payload)).toEqual([recent]);
      const stored = await t.ctx.db.db.selectFrom('messages').select('payload').execute();
      expect(stored.map((r) => r.payload)).not.toContain(old);
      expect(stored.map((r) => r.payload)).toContain(recent);

      const sb = await connect(b);
      await waitForMessages(sb, 1);
      await settle();
      expect(messageFrames(sb).map((f) => f.payload)).toEqual([recent]);

      t.clock.advance(HOUR);
      await t.ctx.messaging.delivery.sweep();
      expect(await inbox(t, b.deviceId)).toEqual([]);
    });

    it('refuses a payload over the size limit with 413', async () => {
      await start({ SIGNET_MAX_MESSAGE_SIZE: '1kb' });
      const { a, b, id } = await pair();
      // 1 KiB of bytes is at most 1366 base64url characters.
      const fits = 'A'.repeat(1366);
      expect((await send(t, a, id, { epoch: 1, payload: fits })).status).toBe(200);
      const big = await send(t, a, id, { epoch: 1, payload: 'A'.repeat(1367) });
      expect(big.status).toBe(413);
      expect(big.body.code).toBe('TOO_LARGE');
      const c = await identifiedUser(t, '+79001250003');
      const group = await createConversation(t, a);
      const bigWelcome = await send(t, a, group, {
        kind: 'commit',
        epoch: 0,
        add: [c.accountId],
        welcome: 'A'.repeat(2000),
      });
      expect(bigWelcome.status).toBe(413);
      expect((await inbox(t, b.deviceId)).filter((f) => f.kind === 'application').map((f) => f.payload)).toEqual([
        fits,
      ]);
      expect(await inbox(t, c.deviceId)).toEqual([]);
    });
  });

  describe('WebSocket frames', () => {
    it('answers malformed frames with an error frame, keeps the socket open and touches no queue', async () => {
      await start();
      const { a, b, id } = await pair();
      const c = await identifiedUser(t, '+79001250003');
      const group = await createConversation(t, a);
      await addMembers(t, a, group, 0, [b, c]);
      await sendMany(a, id, 2);
      const sb = await connect(b);
      await waitForMessages(sb, 4);
      const before = { b: await inbox(t, b.deviceId), c: await inbox(t, c.deviceId) };
      expect(before.c).toHaveLength(1);

      const bad = [
        'not json',
        '{"type":"ack"}',
        '{"type":"ack","seq":-1}',
        '{"type":"ack","seq":"1"}',
        '{"type":"ack","seq":1,"deviceId":"x"}',
        '{"type":"subscribe"}',
        '[]',
        'null',
      ];
      for (const [i, frame] of bad.entries()) {
        sb.send(frame);
        await sb.waitFor(() => errorFrames(sb).length > i);
      }
      expect(errorFrames(sb)).toHaveLength(bad.length);
      for (const e of errorFrames(sb)) expect(e.code).toBe('INVALID_ARGUMENT');
      expect(sb.isOpen).toBe(true);
      sb.send({ type: 'ping' });
      await sb.waitFor((f) => f.type === 'pong');
      expectWellFormed(sb);
      expect(await inbox(t, b.deviceId)).toEqual(before.b);
      expect(await inbox(t, c.deviceId)).toEqual(before.c);

      // An acknowledgement deletes entries of the acknowledging device only, whatever seq it names.
      sb.send({ type: 'ack', seq: 1_000_000 });
      await vi.waitFor(async () => expect(await inbox(t, b.deviceId)).toEqual([]));
      expect(await inbox(t, c.deviceId)).toEqual(before.c);
      expect(await inbox(t, a.deviceId)).toEqual([]);
      expect(sb.isOpen).toBe(true);
    });
  });

  describe('identification gate', () => {
    it('refuses a sender that is not identified', async () => {
      await start();
      const { a, b, id } = await pair();
      await setState(t, a.accountId, 'suspended');
      const res = await send(t, a, id, { epoch: 1 });
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('NOT_IDENTIFIED');
      const commit = await send(t, a, id, { kind: 'commit', epoch: 1 });
      expect(commit.body.code).toBe('NOT_IDENTIFIED');
      expect((await inbox(t, b.deviceId)).map((f) => f.kind)).toEqual(['welcome']);
    });

    it('refuses a direct message to a recipient who is not identified, and adding one', async () => {
      await start();
      const { a, b, id } = await pair();
      await setState(t, b.accountId, 'suspended');
      const res = await send(t, a, id, { epoch: 1 });
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('RECIPIENT_NOT_IDENTIFIED');
      expect(res.body.details).toEqual({ accounts: [b.accountId] });

      const pending = await t.register('+79001250004');
      const group = await createConversation(t, a);
      const add = await send(t, a, group, { kind: 'commit', epoch: 0, add: [pending.accountId], welcome: blob() });
      expect(add.status).toBe(403);
      expect(add.body.code).toBe('RECIPIENT_NOT_IDENTIFIED');
      expect(await inbox(t, pending.deviceId)).toEqual([]);
      expect((await inbox(t, b.deviceId)).map((f) => f.kind)).toEqual(['welcome']);
    });

    it('holds what was queued for a suspended account, even while connected, and pushes it once identified again', async () => {
      await start();
      const { a, b, id } = await pair();
      const c = await identifiedUser(t, '+79001250003');
      const group = await createConversation(t, a);
      await addMembers(t, a, group, 0, [b, c]);
      const queued = await sendMany(a, id, 2);

      await setState(t, b.accountId, 'suspended');
      const sb = await connect(b);
      await settle();
      expect(messageFrames(sb)).toEqual([]);

      // Told live: identified, then suspended while connected.
      await setState(t, b.accountId, 'identified');
      const first = await waitForMessages(sb, 4);
      sb.send({ type: 'ack', seq: first[3]?.seq });
      await vi.waitFor(async () => expect(await inbox(t, b.deviceId)).toEqual([]));
      await setState(t, b.accountId, 'suspended');
      await sb.waitForEvents('identification.changed', 2);

      // A group message while B is suspended: stored, not pushed.
      const held = blob();
      expect((await send(t, a, group, { epoch: 1, payload: held })).status).toBe(200);
      await settle();
      expect(messageFrames(sb)).toHaveLength(4);
      expect((await inbox(t, b.deviceId)).map((f) => f.payload)).toEqual([held]);

      await setState(t, b.accountId, 'identified');
      const all = await waitForMessages(sb, 5);
      expect(all[4]?.payload).toBe(held);
      expect(first.slice(2).map((f) => f.payload)).toEqual(queued);
      expect(increasing(all)).toBe(true);
    });
  });
});
