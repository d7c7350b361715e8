import { testDialects } from '@signet/common';
import { type InboxFrame, ServerFrame } from '@signet/protocol';
import { Value } from 'typebox/value';
import { afterEach, describe, expect, it } from 'vitest';
import { TestServer } from './harness';
import {
  addMembers,
  blob,
  createConversation,
  errorFrames,
  identifiedUser,
  inbox,
  msgId,
  setState,
  type User,
  waitForMessages,
} from './messaging-helpers';
import { settle, TestSocket } from './ws-client';

type Sent = Extract<ServerFrame, { type: 'sent' }>;

describe.each(testDialects())('sending over the WebSocket (%s)', (dialect) => {
  let t: TestServer;
  const sockets: TestSocket[] = [];
  afterEach(async () => {
    for (const s of sockets.splice(0)) s.close();
    await t?.close();
  });

  const connect = async (user: User) => {
    const socket = await TestSocket.open(t.url, user.token);
    sockets.push(socket);
    return socket;
  };

  /** A and B in a direct conversation at epoch 1, both online; B has received the Welcome. */
  async function pair() {
    t = await TestServer.start(dialect);
    const a = await identifiedUser(t, '+79001260001');
    const b = await identifiedUser(t, '+79001260002');
    const id = await createConversation(t, a, 'direct');
    await addMembers(t, a, id, 0, [b]);
    const [as, bs] = [await connect(a), await connect(b)];
    await waitForMessages(bs, 1);
    return { a, b, id, as, bs };
  }

  const sendFrame = (conversationId: string, message: Record<string, unknown>) => ({
    type: 'send',
    conversationId,
    message: { clientMessageId: msgId(), kind: 'application', epoch: 1, payload: blob(), ...message },
  });

  const sentFrames = (socket: TestSocket) => socket.frames.filter((f): f is Sent => f.type === 'sent');

  it('stores the message, answers `sent` as the HTTP send would, and pushes it to the peer', async () => {
    const { a, b, id, as, bs } = await pair();
    const frame = sendFrame(id, {});
    as.send(frame);
    const sent = (await as.waitFor((f) => f.type === 'sent')) as Sent;
    expect(Value.Check(ServerFrame, sent)).toBe(true);
    expect(sent).toMatchObject({ clientMessageId: frame.message.clientMessageId, epoch: 1, duplicate: false });

    const [, pushed] = (await waitForMessages(bs, 2)) as [InboxFrame, InboxFrame];
    expect(pushed).toMatchObject({
      conversationId: id,
      kind: 'application',
      senderAccountId: a.accountId,
      clientMessageId: frame.message.clientMessageId,
      payload: frame.message.payload,
    });
    // Durably stored before `sent`: B's inbox holds it until B acknowledges.
    expect((await inbox(t, b.deviceId)).map((f) => f.payload)).toContain(frame.message.payload);
  });

  it('acts once on a send retried with the same client message id', async () => {
    const { b, id, as, bs } = await pair();
    const frame = sendFrame(id, {});
    as.send(frame);
    await as.waitFor((f) => f.type === 'sent');
    as.send(frame);
    await as.waitFor(() => sentFrames(as).length === 2);
    const [first, second] = sentFrames(as) as [Sent, Sent];
    expect(second).toMatchObject({ messageId: first.messageId, duplicate: true });
    await settle();
    expect((await inbox(t, b.deviceId)).filter((f) => f.payload === frame.message.payload)).toHaveLength(1);
    expect(bs.frames.filter((f) => f.type === 'message' && f.payload === frame.message.payload)).toHaveLength(1);
  });

  it('answers a refused send with an error frame that names it, and keeps the socket open', async () => {
    const { a, id, as } = await pair();
    const stranger = await identifiedUser(t, '+79001260003');
    const elsewhere = await createConversation(t, stranger, 'group');
    const notMine = sendFrame(elsewhere, {});
    as.send(notMine);
    const refused = await as.waitFor((f) => f.type === 'error');
    expect(refused).toMatchObject({
      code: 'NOT_A_MEMBER',
      status: 403,
      clientMessageId: notMine.message.clientMessageId,
    });

    await setState(t, a.accountId, 'suspended');
    const suspended = sendFrame(id, {});
    as.send(suspended);
    await as.waitFor(() => errorFrames(as).length === 2);
    expect(errorFrames(as)[1]).toMatchObject({
      code: 'NOT_IDENTIFIED',
      clientMessageId: suspended.message.clientMessageId,
    });
    expect(as.isOpen).toBe(true);
  });

  it('refuses a malformed send frame without storing anything', async () => {
    const { b, id, as } = await pair();
    as.send({ type: 'send', conversationId: id, message: { kind: 'application', epoch: 1, payload: blob() } });
    as.send({ type: 'send', conversationId: id, message: { ...sendFrame(id, {}).message, payload: 'not base64url!' } });
    as.send({ ...sendFrame(id, {}), extra: true });
    await as.waitFor(() => errorFrames(as).length === 3);
    expect(errorFrames(as).map((f) => f.code)).toEqual(['INVALID_ARGUMENT', 'INVALID_ARGUMENT', 'INVALID_ARGUMENT']);
    expect(sentFrames(as)).toEqual([]);
    expect((await inbox(t, b.deviceId)).filter((f) => f.kind === 'application')).toEqual([]);
    expect(as.isOpen).toBe(true);
  });

  it('stores a burst of sends, and a refused one among them changes nothing', async () => {
    const { a, b, id, as } = await pair();
    const third = await identifiedUser(t, '+79001260004');
    // Sent together, they are stored together (group commit); the commit in the middle bumps the epoch, then
    // fails (a direct conversation holds two members): its bump must be undone, and only it refused.
    const burst = Array.from({ length: 40 }, () => sendFrame(id, {}));
    const tooMany = sendFrame(id, { kind: 'commit', epoch: 1, add: [third.accountId], welcome: blob() });
    burst.splice(20, 0, tooMany);
    for (const frame of burst) as.send(frame);

    await as.waitFor(() => sentFrames(as).length === 40 && errorFrames(as).length === 1);
    expect(errorFrames(as)[0]).toMatchObject({
      code: 'INVALID_ARGUMENT',
      clientMessageId: tooMany.message.clientMessageId,
    });
    // Sends on one socket are independent, as concurrent HTTP sends are: the order they are stored in is open.
    const stored = burst.filter((f) => f !== tooMany).map((f) => f.message.clientMessageId);
    expect(
      sentFrames(as)
        .map((f) => f.clientMessageId)
        .sort(),
    ).toEqual([...stored].sort());
    expect(new Set(sentFrames(as).map((f) => f.messageId)).size).toBe(40);

    // Read from B's inbox, not its socket: on PostgreSQL concurrent sends commit out of seq order, and the live
    // push can pass over an entry that commits late (it stays in the inbox for the next connection).
    const queued = (await inbox(t, b.deviceId)).filter((f) => f.kind === 'application');
    expect(queued.map((f) => f.clientMessageId).sort()).toEqual([...stored].sort());
    const read = await t.request('GET', `/v1/conversations/${id}`, undefined, a.token);
    expect(read.body).toMatchObject({ epoch: 1 });
    expect(read.body.members.sort()).toEqual([a.accountId, b.accountId].sort());
    expect(await inbox(t, third.deviceId)).toEqual([]);
  });
});
