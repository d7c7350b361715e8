import { testDialects } from '@signet/common';
import { afterEach, describe, expect, it } from 'vitest';
import {
  ackDropping,
  type Device,
  identifiedUser,
  openClient,
  register,
  setState,
  settle,
  TestServer,
  waitFor,
  watchedFetch,
} from './scenario-helpers';

const tokenOf = (d: Device) => d.client.session.require().token;

describe.each(testDialects())('client scenarios (%s)', (dialect) => {
  let t: TestServer;
  const devices: Device[] = [];

  afterEach(async () => {
    for (const d of devices.splice(0)) d.client.stop();
    await t?.close();
  });

  async function start() {
    t = await TestServer.start(dialect);
  }

  async function user(phone: string, options: Parameters<typeof identifiedUser>[2] = {}) {
    const d = await identifiedUser(t, phone, options);
    devices.push(d);
    return d;
  }

  it('carries a one-to-one chat both ways', async () => {
    await start();
    const alice = await user('+79001110001');
    const bob = await user('+79001110002');

    const chat = await alice.client.conversations.direct(bob.accountId);
    const delivered: { conversationId: string; messageIds: string[] }[] = [];
    alice.client.on('delivered', (d) => delivered.push(d));
    const sent = await alice.client.conversations.sendText(chat.conversationId, 'hello Bob');
    await waitFor(() => bob.messages.length === 1, 'Bob to get the message');
    expect(bob.messages[0]).toMatchObject({
      conversationId: chat.conversationId,
      senderAccountId: alice.accountId,
      outgoing: false,
      content: { type: 'text', text: 'hello Bob' },
    });
    // Once Bob's device has stored and acknowledged it, the server tells Alice's account it was delivered.
    await waitFor(() => delivered.length === 1, 'Alice to learn that it was delivered');
    expect(delivered).toEqual([{ conversationId: chat.conversationId, messageIds: [sent.id] }]);
    const [stored] = await alice.client.conversations.messages(chat.conversationId);
    expect(stored).toMatchObject({ id: sent.id, outgoing: true, deliveredAt: expect.any(Number) });
    const atBob = await bob.client.conversations.get(chat.conversationId);
    expect(atBob).toMatchObject({ kind: 'direct', peerAccountId: alice.accountId, status: 'active', epoch: 1 });
    // The server never says whose an account is: Alice told Bob her number, and the server confirmed it.
    expect(await bob.client.contacts.displayName(alice.accountId)).toBe(alice.phone);

    await bob.client.conversations.sendText(chat.conversationId, 'hello Alice');
    await waitFor(() => alice.messages.length === 1, 'Alice to get the reply');
    expect(alice.texts()).toEqual(['hello Alice']);
    // The same conversation is reused, and each side's history holds both messages.
    expect((await alice.client.conversations.direct(bob.accountId)).conversationId).toBe(chat.conversationId);
    const history = await bob.client.conversations.messages(chat.conversationId);
    expect(history.map((m) => [m.outgoing, m.content.type === 'text' && m.content.text])).toEqual([
      [false, 'hello Bob'],
      [true, 'hello Alice'],
    ]);
    expect([...alice.errors, ...bob.errors]).toEqual([]);
  });

  it('runs a group of three with adds and removes; a removed member reads nothing sent after', async () => {
    await start();
    const alice = await user('+79001120001');
    const bob = await user('+79001120002');
    const carol = await user('+79001120003');
    const dave = await user('+79001120004');

    const group = await alice.client.conversations.createGroup('Friends', [bob.accountId]);
    const id = group.conversationId;
    await alice.client.conversations.addMembers(id, [carol.accountId]);
    await waitFor(async () => (await carol.client.conversations.get(id))?.title === 'Friends', 'Carol to join');
    await waitFor(async () => (await bob.client.conversations.get(id))?.epoch === 2, 'Bob to see Carol added');
    expect((await bob.client.conversations.get(id))?.title).toBe('Friends');

    await carol.client.conversations.sendText(id, 'hi from Carol');
    await waitFor(() => alice.messages.length === 1 && bob.messages.length === 1, 'Alice and Bob to get it');
    expect([alice.texts(), bob.texts()]).toEqual([['hi from Carol'], ['hi from Carol']]);

    // Bob removes Carol; she learns it and gets nothing sent afterwards.
    await bob.client.conversations.removeMembers(id, [carol.accountId]);
    await waitFor(() => carol.conversations.some((c) => c.change === 'removed'), 'Carol to learn she was removed');
    expect((await carol.client.conversations.get(id))?.status).toBe('removed');
    await waitFor(async () => (await alice.client.conversations.get(id))?.epoch === 3, 'Alice to follow');
    await alice.client.conversations.sendText(id, 'without Carol');
    await waitFor(() => bob.texts().includes('without Carol'), 'Bob to get it');
    await settle(carol);
    expect(carol.texts()).toEqual([]);
    await expect(carol.client.conversations.sendText(id, 'still here?')).rejects.toThrow(/no longer a member/);
    expect((await t.request('GET', `/v1/conversations/${id}`, undefined, tokenOf(alice))).body.members.sort()).toEqual(
      [alice.accountId, bob.accountId].sort(),
    );

    // Dave is added; then Bob leaves, and the remaining members commit his departure.
    await alice.client.conversations.addMembers(id, [dave.accountId]);
    await waitFor(async () => (await dave.client.conversations.get(id))?.status === 'active', 'Dave to join');
    await bob.client.conversations.leave(id);
    await waitFor(() => bob.conversations.some((c) => c.change === 'removed'), 'Bob to be out');
    await waitFor(async () => (await dave.client.conversations.get(id))?.members.length === 2, 'Dave to see Bob go');
    await dave.client.conversations.sendText(id, 'just us');
    await waitFor(() => alice.texts().includes('just us'), 'Alice to get it');
    await settle(bob);
    expect(bob.texts()).not.toContain('just us');
    expect((await t.request('GET', `/v1/conversations/${id}`, undefined, tokenOf(alice))).body.members.sort()).toEqual(
      [alice.accountId, dave.accountId].sort(),
    );
    expect(devices.flatMap((d) => d.errors)).toEqual([]);
  });

  it('removes a recycled number’s previous holder from its groups through the server’s proposal', async () => {
    await start();
    const alice = await user('+79001170001');
    const bob = await user('+79001170002');
    const carol = await user('+79001170003');
    const { conversationId: id } = await alice.client.conversations.createGroup('Three', [
      bob.accountId,
      carol.accountId,
    ]);
    await waitFor(async () => (await carol.client.conversations.get(id))?.status === 'active', 'Carol to join');
    await waitFor(async () => (await bob.client.conversations.get(id))?.members.length === 3, 'Bob to see all three');

    // Carol's contract ends and her number goes to someone else, who registers it: her account is retired.
    await t.ctx.db.db
      .updateTable('accounts')
      .set({ state: 'suspended', suspended_reason: 'contract_terminated' })
      .where('id', '=', carol.accountId)
      .execute();
    carol.client.stop();
    const next = await openClient(t, carol.phone);
    devices.push(next);
    await register(t, next);
    expect(next.accountId).not.toBe(carol.accountId);

    // The server proposes Carol's removal; Alice (the lowest leaf staying) commits it, and Bob follows.
    for (const d of [alice, bob]) {
      await waitFor(async () => (await d.client.conversations.get(id))?.members.length === 2, 'Carol to be removed');
      expect((await d.client.conversations.get(id))?.members.sort()).toEqual([alice.accountId, bob.accountId].sort());
    }
    expect(await t.ctx.db.db.selectFrom('pending_removals').selectAll().execute()).toEqual([]);
    const remote = await alice.client.conversations.remote(id);
    expect(remote.members.sort()).toEqual([alice.accountId, bob.accountId].sort());
    await bob.client.conversations.sendText(id, 'after Carol');
    await waitFor(() => alice.texts().includes('after Carol'), 'Alice to read on');
    // The number's new holder sees nothing of the old account's conversations.
    expect(await next.client.conversations.list()).toEqual([]);
    expect([...alice.errors, ...bob.errors]).toEqual([]);
  });

  it('delivers to a recipient whose client was not running, in order, once it starts', async () => {
    await start();
    const alice = await user('+79001130001');
    const bob = await user('+79001130002', { offline: true });

    const chat = await alice.client.conversations.direct(bob.accountId);
    for (const text of ['one', 'two', 'three']) await alice.client.conversations.sendText(chat.conversationId, text);
    expect(bob.messages).toEqual([]);

    await bob.client.start();
    await waitFor(() => bob.messages.length === 3, 'Bob to catch up');
    expect(bob.texts()).toEqual(['one', 'two', 'three']);
    expect(bob.conversations.map((c) => c.change)).toEqual(['joined']);
    await bob.client.sync();
    // Everything was acknowledged: the server's inbox for Bob's device is empty.
    expect(await t.ctx.messaging.delivery.pending(bob.deviceId, 0, 100)).toEqual([]);
  });

  it('lets two members commit at once: one wins, the other catches up and retries', async () => {
    await start();
    const alice = await user('+79001140001');
    const bobFetch = watchedFetch();
    const bob = await user('+79001140002', { fetch: bobFetch.fetch });
    const carol = await user('+79001140003');
    const dave = await user('+79001140004');
    const { conversationId: id } = await alice.client.conversations.createGroup('Race', [bob.accountId]);
    await waitFor(async () => (await bob.client.conversations.get(id))?.epoch === 1, 'Bob to join');

    // Bob's commit is held until Alice's has been accepted, so that both are made for epoch 1.
    let aliceDone!: () => void;
    const aliceAccepted = new Promise<void>((resolve) => {
      aliceDone = resolve;
    });
    bobFetch.holdWhile((url, body) => url.endsWith('/messages') && body.includes('"kind":"commit"'), aliceAccepted);
    const bobAdds = bob.client.conversations.addMembers(id, [dave.accountId]);
    await waitFor(async () => (await bob.client.conversations.get(id)) !== undefined, 'Bob to start');
    await alice.client.conversations.addMembers(id, [carol.accountId]);
    aliceDone();
    await bobAdds;

    expect(bobFetch.answers.filter((a) => a.code === 'EPOCH_CONFLICT')).toHaveLength(1);
    const remote = await bob.client.conversations.remote(id);
    expect(remote.epoch).toBe(3);
    expect(remote.members.sort()).toEqual([alice.accountId, bob.accountId, carol.accountId, dave.accountId].sort());
    for (const d of [alice, carol, dave]) {
      await waitFor(async () => (await d.client.conversations.get(id))?.epoch === 3, 'everyone at epoch 3');
    }
    await dave.client.conversations.sendText(id, 'all four');
    for (const d of [alice, bob, carol]) await waitFor(() => d.texts().includes('all four'), 'all to read it');
  });

  it('does not deliver a blocked sender’s messages to the blocker', async () => {
    await start();
    const alice = await user('+79001150001');
    const bob = await user('+79001150002');
    const chat = await alice.client.conversations.direct(bob.accountId);
    await alice.client.conversations.sendText(chat.conversationId, 'before');
    await waitFor(() => bob.messages.length === 1, 'the first message');

    await bob.client.blocks.blockNumber(alice.phone);
    expect(await bob.client.blocks.list()).toMatchObject([{ accountId: alice.accountId, phoneNumber: alice.phone }]);
    await alice.client.conversations.sendText(chat.conversationId, 'while blocked');
    await settle(bob);
    expect(bob.texts()).toEqual(['before']);
    // Nor can the blocked user add the blocker to a group (said without naming the block).
    await expect(alice.client.conversations.createGroup('x', [bob.accountId])).rejects.toThrow(/cannot receive/);

    await bob.client.blocks.unblock(alice.accountId);
    expect(await bob.client.blocks.list()).toEqual([]);
    await alice.client.conversations.sendText(chat.conversationId, 'after');
    await waitFor(() => bob.messages.length === 2, 'the message after unblocking');
    expect(bob.texts()).toEqual(['before', 'after']);
  });

  it('refuses an unidentified recipient with a clear error', async () => {
    await start();
    const alice = await user('+79001160001');
    const bob = await user('+79001160002');
    const carol = await openClient(t, '+79001160003');
    devices.push(carol);
    await register(t, carol);
    await setState(t, carol.accountId, 'pending');

    await expect(alice.client.contacts.lookup(carol.phone)).rejects.toThrow('no identified Signet account holds');
    await expect(alice.client.conversations.direct(carol.accountId)).rejects.toMatchObject({
      name: 'RecipientUnavailableError',
      message: expect.stringMatching(/cannot receive messages/),
    });
    // An existing chat whose other side stops being identified refuses new messages.
    const chat = await alice.client.conversations.direct(bob.accountId);
    await waitFor(() => bob.conversations.length === 1, 'Bob to join');
    await setState(t, bob.accountId, 'failed');
    await expect(alice.client.conversations.sendText(chat.conversationId, 'anyone?')).rejects.toMatchObject({
      status: 403,
      code: 'RECIPIENT_NOT_IDENTIFIED',
    });
    // Nor can an account that is not identified send.
    await expect(bob.client.conversations.sendText(chat.conversationId, 'me?')).rejects.toMatchObject({
      code: 'NOT_IDENTIFIED',
    });
  });

  it('holds messages for a suspended recipient and delivers them after re-identification', async () => {
    await start();
    const alice = await user('+79001170001');
    const bob = await user('+79001170002');
    const { conversationId: id } = await alice.client.conversations.createGroup('Held', [bob.accountId]);
    await waitFor(async () => (await bob.client.conversations.get(id))?.epoch === 1, 'Bob to join');

    const states: string[] = [];
    bob.client.on('identification', (e) => states.push(e.state));
    await setState(t, bob.accountId, 'suspended');
    await waitFor(() => states.includes('suspended'), 'Bob to learn of the suspension');
    await alice.client.conversations.sendText(id, 'held one');
    await alice.client.conversations.sendText(id, 'held two');
    await settle(bob);
    expect(bob.texts()).toEqual([]);
    // A direct chat with a suspended account refuses at once, saying why.
    const direct = alice.client.conversations.direct(bob.accountId);
    await expect(direct).rejects.toThrow(/cannot receive messages/);

    await setState(t, bob.accountId, 'identified');
    await waitFor(() => bob.messages.length === 2, 'the held messages');
    expect(bob.texts()).toEqual(['held one', 'held two']);
    expect(bob.client.session.current?.state).toBe('identified');
  });

  it('sends an attachment encrypted, and the recipient decrypts it', async () => {
    await start();
    const alice = await user('+79001180001');
    const bob = await user('+79001180002');
    const chat = await alice.client.conversations.direct(bob.accountId);
    const file = new Uint8Array(100_000);
    for (let i = 0; i < file.length; i += 65_536) crypto.getRandomValues(file.subarray(i, i + 65_536));
    await alice.client.conversations.sendAttachment(chat.conversationId, file, {
      name: 'photo.bin',
      type: 'application/octet-stream',
      caption: 'look',
    });
    await waitFor(() => bob.messages.length === 1, 'the attachment message');
    const content = bob.messages[0]!.content;
    if (content.type !== 'attachment') throw new Error(`expected an attachment, got ${content.type}`);
    expect(content).toMatchObject({ caption: 'look', attachment: { name: 'photo.bin', size: 100_000 } });
    expect(await bob.client.attachments.download(content.attachment)).toEqual(file);
    // The server holds only ciphertext (the plaintext plus GCM's tag, nothing alike).
    const stored = await bob.client.api.downloadAttachment(content.attachment.attachmentId);
    expect(stored.length).toBe(100_016);
    expect(Buffer.from(stored).includes(Buffer.from(file.subarray(0, 64)))).toBe(false);
    // A wrong key opens nothing.
    const wrong = { ...content.attachment, key: content.attachment.key.replace(/^./, (c) => (c === 'A' ? 'B' : 'A')) };
    await expect(bob.client.attachments.download(wrong)).rejects.toThrow(/does not decrypt/);
  });

  it('shows equal safety numbers on both sides, and warns when a contact re-registers with new keys', async () => {
    await start();
    const alice = await user('+79001190001');
    const bob = await user('+79001190002');
    await alice.client.conversations.direct(bob.accountId);
    await waitFor(() => bob.conversations.length === 1, 'Bob to join');

    const atAlice = await alice.client.contacts.safetyNumber(bob.accountId);
    const atBob = await bob.client.contacts.safetyNumber(alice.accountId);
    expect(atAlice.digits).toMatch(/^[0-9]{60}$/);
    expect(atAlice.digits).toBe(atBob.digits);
    expect(atAlice.qrPayload).toBe(atBob.qrPayload);
    await alice.client.contacts.markVerified(bob.accountId);
    expect(alice.keyChanges).toEqual([]);

    // Bob reinstalls: a new device with new keys on the same number, which then writes to Alice.
    bob.client.stop();
    const bob2 = await user(bob.phone);
    expect(bob2.accountId).toBe(bob.accountId);
    await bob2.client.conversations.direct(alice.accountId);
    await waitFor(() => alice.keyChanges.length === 1, 'the key-change warning');
    expect(alice.keyChanges[0]).toMatchObject({ accountId: bob.accountId, wasVerified: true });
    expect(alice.keyChanges[0]!.currentKeys).toHaveLength(2);

    const after = await alice.client.contacts.safetyNumber(bob.accountId);
    expect(after.digits).not.toBe(atAlice.digits);
    expect(after.verified).toBe(false);
    expect((await bob2.client.contacts.safetyNumber(alice.accountId)).digits).toBe(after.digits);
    expect(alice.keyChanges).toHaveLength(1);
  });

  it('never shows a message twice after a crash between storing it and acknowledging it', async () => {
    await start();
    const alice = await user('+79001200001');
    const acks = { drop: false };
    const bob = await user('+79001200002', { webSocketFactory: ackDropping(acks) });
    const chat = await alice.client.conversations.direct(bob.accountId);
    await waitFor(() => bob.conversations.length === 1, 'Bob to join');
    await bob.client.sync();
    const groupKey = `groups/${chat.conversationId}`;
    const before = { group: await bob.store.get(groupKey), cursor: await bob.store.get('inbox/cursor') };

    acks.drop = true;
    await alice.client.conversations.sendText(chat.conversationId, 'only once');
    await waitFor(() => bob.messages.length === 1, 'the message');
    await bob.client.inbox.idle();
    bob.client.stop();
    // The crash: the message was stored, but neither the group state nor the cursor, and no ack reached the server.
    await bob.store.put(groupKey, before.group!);
    await bob.store.put('inbox/cursor', before.cursor!);
    expect(await t.ctx.messaging.delivery.pending(bob.deviceId, 0, 10)).toHaveLength(1);

    const restarted = await openClient(t, bob.phone, { store: bob.store });
    devices.push(restarted);
    await restarted.client.start();
    await restarted.client.sync();
    await alice.client.conversations.sendText(chat.conversationId, 'next');
    await waitFor(() => restarted.messages.length === 1, 'the next message');
    expect(restarted.texts()).toEqual(['next']);
    const history = await restarted.client.conversations.messages(chat.conversationId);
    expect(history.map((m) => m.content.type === 'text' && m.content.text)).toEqual(['only once', 'next']);
    expect(await t.ctx.messaging.delivery.pending(bob.deviceId, 0, 10)).toEqual([]);
    expect(restarted.errors).toEqual([]);
  });
});
