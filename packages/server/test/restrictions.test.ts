import { AuthorityClient } from '@signet/client/authority';
import { HOUR, MINUTE, sha256Hex, testDialects } from '@signet/common';
import {
  AccountRestrictionList,
  type ChannelPostPage,
  type CreateRestrictionOrder,
  ErrorBody,
  RESTRICTION_ACTIONS,
  RestrictionOrder,
  RestrictionOrderList,
  RestrictionOrderWithTrail,
  ServerFrame,
} from '@signet/protocol';
import { Value } from 'typebox/value';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { transparencyMarkdown, transparencyReport } from '../src/audit/transparency';
import { Janitor } from '../src/janitor';
import { createAuthority, send as sendRaw, signedRequest, type TestAuthority } from './authority-helpers';
import { createChannel as createChannelAs, postToChannel } from './channel-helpers';
import { TestServer } from './harness';
import {
  addMembers,
  blob,
  createConversation,
  groupId,
  identifiedUser,
  inbox,
  msgId,
  send,
  type User,
} from './messaging-helpers';
import { settle, TestSocket } from './ws-client';

const ORDERS = '/authority/v1/orders';
const orderBasis = {
  reference: 'Decision 77-R/2026 of 3 November 2026, Ministry of Information',
  text: 'Article 15.1 of the law on information: the post named is unlawful information to be restricted',
};

type Target = Record<string, unknown> & { type: keyof typeof RESTRICTION_ACTIONS };

describe.each(testDialects())('restriction orders (%s)', (dialect) => {
  let t: TestServer;
  let court: TestAuthority;
  const sockets: TestSocket[] = [];
  beforeEach(async () => {
    t = await TestServer.start(dialect);
    court = await createAuthority(t, ['restriction'], 'District Court');
  });
  afterEach(async () => {
    for (const s of sockets.splice(0)) s.close();
    await t?.close();
  });

  const orderOf = (target: Target, extra: Record<string, unknown> = {}) => ({
    legalBasis: orderBasis,
    target,
    action: RESTRICTION_ACTIONS[target.type],
    ...extra,
  });
  const issue = (body: unknown, by: TestAuthority = court) => signedRequest(t, by.signer, 'POST', ORDERS, body);
  async function issued(target: Target, extra: Record<string, unknown> = {}): Promise<RestrictionOrder> {
    const res = await issue(orderOf(target, extra));
    if (res.status !== 201) throw new Error(`order refused: ${res.status} ${res.text}`);
    expect(Value.Check(RestrictionOrder, res.body), res.text).toBe(true);
    return res.body;
  }
  const revoke = (orderId: string, reason = 'the decision was quashed on appeal', by: TestAuthority = court) =>
    signedRequest(t, by.signer, 'POST', `${ORDERS}/${orderId}/revoke`, { reason });
  const getOrder = (orderId: string, by: TestAuthority = court) =>
    signedRequest(t, by.signer, 'GET', `${ORDERS}/${orderId}`);

  const call = (method: string, path: string, user: User, body?: unknown) => t.request(method, path, body, user.token);
  const createChannel = (owner: User, handle: string) =>
    createChannelAs(t, owner, { handle, name: `Channel ${handle}` });
  const post = (owner: User, channel: string, text: string) => postToChannel(t, owner, channel, text);
  const page = async (user: User, channel: string) => {
    const res = await call('GET', `/v1/channels/${channel}/posts`, user);
    expect(res.status, res.text).toBe(200);
    return (res.body as ChannelPostPage).posts.map((p) => [p.text, p.status]);
  };
  async function open(user: User) {
    const socket = await TestSocket.open(t.url, user.token);
    sockets.push(socket);
    return socket;
  }
  const restrictionsOf = async (user: User) => {
    const res = await call('GET', '/v1/account/restrictions', user);
    expect(res.status).toBe(200);
    expect(Value.Check(AccountRestrictionList, res.body), res.text).toBe(true);
    return (res.body as AccountRestrictionList).restrictions;
  };
  const auditKinds = async () =>
    (
      await t.ctx.db.db
        .selectFrom('audit_log')
        .select('kind')
        .where('kind', 'like', 'restriction.%')
        .orderBy('seq')
        .execute()
    ).map((r) => r.kind);
  const checkFrames = (socket: TestSocket) => {
    for (const f of socket.frames) expect(Value.Check(ServerFrame, f), JSON.stringify(f)).toBe(true);
  };

  it('hides a channel post at once, tells its author live and over HTTP, and shows it again on revocation', async () => {
    const owner = await identifiedUser(t, '+79001620001');
    const follower = await identifiedUser(t, '+79001620002');
    const channel = await createChannel(owner, 'news');
    expect((await call('PUT', '/v1/channels/@news/follow', follower)).status).toBe(204);
    const bad = await post(owner, '@news', 'unlawful text');
    await post(owner, '@news', 'fine text');
    const [ownerSocket, followerSocket] = [await open(owner), await open(follower)];

    const expiresAt = t.clock.now() + 30 * 24 * HOUR;
    const order = await issued({ type: 'channel_post', postId: bad.postId }, { expiresAt });
    expect(order).toMatchObject({
      authorityId: court.id,
      legalBasis: orderBasis,
      target: { type: 'channel_post', postId: bad.postId },
      action: 'hide',
      status: 'active',
      notice: { withheld: false, legalGround: null },
      issuedAt: t.clock.now(),
      expiresAt,
      endedAt: null,
      postsRestricted: 1,
    });
    await followerSocket.waitFor((f) => f.type === 'channel.post.removed');
    expect(await page(follower, '@news')).toEqual([['fine text', 'visible']]);
    expect(await page(owner, '@news')).toEqual([
      ['fine text', 'visible'],
      ['unlawful text', 'restricted'],
    ]);

    const [applied] = await ownerSocket.waitForEvents('restriction.applied');
    expect(applied).toEqual({
      type: 'restriction.applied',
      orderId: order.orderId,
      restricted: { type: 'channel_post', channelId: channel.channelId, postId: bad.postId },
      action: 'hide',
      legalBasis: orderBasis,
      expiresAt,
      at: t.clock.now(),
    });
    expect(await restrictionsOf(owner)).toEqual([
      {
        orderId: order.orderId,
        restricted: { type: 'channel_post', channelId: channel.channelId, postId: bad.postId },
        action: 'hide',
        legalBasis: orderBasis,
        status: 'active',
        notifiedAt: t.clock.now(),
        expiresAt,
        endedAt: null,
      },
    ]);
    // Only the author is told: followers see the post go, not the order.
    expect(followerSocket.events()).toEqual([]);
    expect(await restrictionsOf(follower)).toEqual([]);

    t.clock.advance(MINUTE);
    const revoked = await revoke(order.orderId);
    expect(revoked.status, revoked.text).toBe(200);
    expect(revoked.body).toMatchObject({
      status: 'revoked',
      endedAt: t.clock.now(),
      endReason: 'the decision was quashed on appeal',
    });
    expect(await page(follower, '@news')).toEqual([
      ['fine text', 'visible'],
      ['unlawful text', 'visible'],
    ]);
    const [lifted] = await ownerSocket.waitForEvents('restriction.lifted');
    expect(lifted).toEqual({
      type: 'restriction.lifted',
      orderId: order.orderId,
      targetType: 'channel_post',
      outcome: 'revoked',
      legalReference: orderBasis.reference,
      at: t.clock.now(),
    });
    expect((await restrictionsOf(owner))[0]).toMatchObject({ status: 'revoked', endedAt: t.clock.now() });
    const again = await revoke(order.orderId);
    expect(again.status).toBe(409);
    expect(again.body.message).toContain('revoked already');

    const withTrail = await getOrder(order.orderId);
    expect(withTrail.status).toBe(200);
    expect(Value.Check(RestrictionOrderWithTrail, withTrail.body), withTrail.text).toBe(true);
    const trail = (withTrail.body as RestrictionOrderWithTrail).auditTrail;
    expect(trail.map((e) => [e.kind, e.actor])).toEqual([
      ['restriction.issued', { type: 'authority', id: court.id }],
      ['restriction.revoked', { type: 'authority', id: court.id }],
    ]);
    expect(trail[0]?.payload).toMatchObject({
      orderId: order.orderId,
      legalBasis: orderBasis,
      target: { type: 'channel_post', postId: bad.postId },
      notice: { withheld: false, accountsNotified: 1 },
    });
    expect(trail[1]?.payload).toMatchObject({
      reason: 'the decision was quashed on appeal',
      targetType: 'channel_post',
    });
    checkFrames(ownerSocket);
    expect((await t.ctx.audit.verify()).ok).toBe(true);
  });

  it("suspends an account's sending on every path, leaves it receiving, and restores it on revocation", async () => {
    const alice = await identifiedUser(t, '+79001620011');
    const bob = await identifiedUser(t, '+79001620012');
    const id = await createConversation(t, alice, 'direct');
    await addMembers(t, alice, id, 0, [bob]);
    await createChannel(bob, 'bobnews');
    await createChannel(alice, 'alicenews');
    const aliceSocket = await open(alice);

    const sentBy = async (user: User) =>
      (await t.ctx.db.db.selectFrom('messages').select('id').where('sender_account_id', '=', user.accountId).execute())
        .length;
    const sentBefore = await sentBy(alice);
    const order = await issued({ type: 'account_sending', accountId: alice.accountId });
    const [applied] = await aliceSocket.waitForEvents('restriction.applied');
    expect(applied).toMatchObject({
      restricted: { type: 'account_sending' },
      action: 'suspend',
      legalBasis: orderBasis,
    });

    const refused = await send(t, alice, id, { epoch: 1 });
    expect(refused.status).toBe(403);
    expect(Value.Check(ErrorBody, refused.body)).toBe(true);
    expect(refused.body.code).toBe('RESTRICTED');
    expect(refused.body.message).toContain('cannot send messages');
    expect(refused.body.message).toContain(orderBasis.reference);
    expect(refused.body.details).toMatchObject({ orderId: order.orderId, target: 'account_sending', expiresAt: null });

    const clientMessageId = msgId();
    aliceSocket.send({
      type: 'send',
      conversationId: id,
      message: { clientMessageId, kind: 'application', epoch: 1, payload: blob() },
    });
    const frame = await aliceSocket.waitFor((f) => f.type === 'error');
    expect(frame).toMatchObject({ type: 'error', code: 'RESTRICTED', clientMessageId, status: 403 });

    const commit = await send(t, alice, id, { kind: 'commit', epoch: 1 });
    expect(commit.body.code).toBe('RESTRICTED');
    const upload = await fetch(`${t.url}/v1/attachments?conversationId=${id}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${alice.token}`, 'content-type': 'application/octet-stream' },
      body: new Uint8Array([1, 2, 3]),
    });
    expect(upload.status).toBe(403);
    expect(((await upload.json()) as ErrorBody).code).toBe('RESTRICTED');
    const conversation = await call('POST', '/v1/conversations', alice, { conversationId: groupId(), kind: 'group' });
    expect(conversation.body.code).toBe('RESTRICTED');
    expect((await call('POST', '/v1/channels/@alicenews/posts', alice, { text: 'hello' })).body.code).toBe(
      'RESTRICTED',
    );
    expect((await call('POST', '/v1/channels', alice, { handle: 'another', name: 'Another' })).body.code).toBe(
      'RESTRICTED',
    );
    expect(await sentBy(alice)).toBe(sentBefore);

    // Receiving and reading are untouched: bob's message reaches her, and she may follow a channel.
    expect((await send(t, bob, id, { epoch: 1 })).status).toBe(200);
    expect((await inbox(t, alice.deviceId)).filter((m) => m.senderAccountId === bob.accountId)).toHaveLength(1);
    expect((await call('PUT', '/v1/channels/@bobnews/follow', alice)).status).toBe(204);

    expect((await revoke(order.orderId)).status).toBe(200);
    await aliceSocket.waitForEvents('restriction.lifted');
    expect((await send(t, alice, id, { epoch: 1 })).status).toBe(200);
    expect((await call('POST', '/v1/channels/@alicenews/posts', alice, { text: 'back' })).status).toBe(201);
    checkFrames(aliceSocket);
  });

  it('withholds notice when the order says so, on a legal ground that is audited', async () => {
    const alice = await identifiedUser(t, '+79001620021');
    const bob = await identifiedUser(t, '+79001620022');
    const id = await createConversation(t, alice, 'direct');
    await addMembers(t, alice, id, 0, [bob]);
    const aliceSocket = await open(alice);
    const legalGround = 'Article 10 of the law on operational investigations: notice would defeat the investigation';

    const order = await issued(
      { type: 'account_sending', accountId: alice.accountId },
      { notice: { withheld: true, legalGround } },
    );
    expect(order.notice).toEqual({ withheld: true, legalGround });
    const refused = await send(t, alice, id, { epoch: 1 });
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('RESTRICTED');
    expect(refused.body.message).not.toContain(orderBasis.reference);
    expect(refused.body.details).toEqual({ target: 'account_sending' });
    expect((await revoke(order.orderId)).status).toBe(200);

    await settle();
    expect(aliceSocket.events()).toEqual([]);
    expect(await restrictionsOf(alice)).toEqual([]);
    const trail = (await getOrder(order.orderId)).body as RestrictionOrderWithTrail;
    expect(trail.auditTrail[0]?.payload.notice).toEqual({ withheld: true, legalGround });
    expect(trail.auditTrail[1]?.payload).toMatchObject({ accountsNotified: 0 });
  });

  it('blocks public content by fingerprint: hides the posts that carry it and refuses new ones', async () => {
    const one = await identifiedUser(t, '+79001620031');
    const two = await identifiedUser(t, '+79001620032');
    const reader = await identifiedUser(t, '+79001620033');
    const first = await createChannel(one, 'first');
    await createChannel(two, 'second');
    const a = await post(one, '@first', 'unlawful text');
    await post(one, '@first', 'fine text');
    const b = await post(two, '@second', 'unlawful text');
    const [oneSocket, twoSocket] = [await open(one), await open(two)];

    const sha256 = sha256Hex('unlawful text');
    const order = await issued({ type: 'content_fingerprint', sha256: sha256.toUpperCase() });
    expect(order).toMatchObject({
      target: { type: 'content_fingerprint', sha256 },
      action: 'block',
      postsRestricted: 2,
    });
    expect(await page(reader, '@first')).toEqual([['fine text', 'visible']]);
    expect(await page(reader, '@second')).toEqual([]);
    const [toOne] = await oneSocket.waitForEvents('restriction.applied');
    expect(toOne?.restricted).toEqual({
      type: 'content_fingerprint',
      sha256,
      posts: [{ channelId: first.channelId, postId: a.postId }],
    });
    const [toTwo] = await twoSocket.waitForEvents('restriction.applied');
    expect(toTwo?.restricted).toMatchObject({ posts: [{ postId: b.postId }] });

    const again = await call('POST', '/v1/channels/@second/posts', two, { text: 'unlawful text' });
    expect(again.status).toBe(451);
    expect(again.body.code).toBe('RESTRICTED');
    expect((await call('POST', '/v1/channels/@second/posts', two, { text: 'unlawful text!' })).status).toBe(201);

    // A post stored past the check while the order was being issued (another node) is found by the janitor.
    const { id: raced } = await t.ctx.db.db
      .insertInto('channel_posts')
      .values({
        channel_id: first.channelId,
        author_id: one.accountId,
        text: 'unlawful text',
        content_sha256: sha256,
        status: 'visible',
        restriction_ref: null,
        restricted_at: null,
        created_at: t.clock.now(),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await new Janitor(t.ctx).runOnce();
    expect(await page(reader, '@first')).toEqual([['fine text', 'visible']]);
    const withTrail = (await getOrder(order.orderId)).body as RestrictionOrderWithTrail;
    expect(withTrail.postsRestricted).toBe(3);
    expect(withTrail.auditTrail.map((e) => [e.kind, e.actor.type, e.payload.postsRestricted])).toEqual([
      ['restriction.issued', 'authority', 2],
      ['restriction.applied', 'system', 1],
    ]);
    const told = await oneSocket.waitForEvents('restriction.applied', 2);
    expect(told[1]?.restricted).toMatchObject({ posts: [{ postId: Number(raced) }] });

    expect((await revoke(order.orderId)).status).toBe(200);
    expect((await page(reader, '@first')).map(([text]) => text)).toEqual([
      'unlawful text',
      'fine text',
      'unlawful text',
    ]);
    expect((await call('POST', '/v1/channels/@first/posts', one, { text: 'unlawful text' })).status).toBe(201);
  });

  it('keeps a post hidden while another order in force covers it', async () => {
    const owner = await identifiedUser(t, '+79001620041');
    const reader = await identifiedUser(t, '+79001620042');
    await createChannel(owner, 'news');
    const bad = await post(owner, '@news', 'twice unlawful');
    const byPost = await issued({ type: 'channel_post', postId: bad.postId });
    const byText = await issued({ type: 'content_fingerprint', sha256: bad.contentSha256 });
    expect(byText.postsRestricted).toBe(0);
    expect((await revoke(byPost.orderId)).status).toBe(200);
    expect(await page(reader, '@news')).toEqual([]);
    expect(((await getOrder(byText.orderId)).body as RestrictionOrder).postsRestricted).toBe(1);
    expect((await revoke(byText.orderId)).status).toBe(200);
    expect(await page(reader, '@news')).toEqual([['twice unlawful', 'visible']]);
  });

  it('expires an order at its time: enforcement stops then, and the janitor lifts and audits it', async () => {
    const alice = await identifiedUser(t, '+79001620051');
    const bob = await identifiedUser(t, '+79001620052');
    const id = await createConversation(t, alice, 'direct');
    await addMembers(t, alice, id, 0, [bob]);
    await createChannel(alice, 'news');
    const bad = await post(alice, '@news', 'for a while');
    const expiresAt = t.clock.now() + HOUR;
    const sending = await issued({ type: 'account_sending', accountId: alice.accountId }, { expiresAt });
    const hiding = await issued({ type: 'channel_post', postId: bad.postId }, { expiresAt });
    const socket = await open(alice);
    expect((await send(t, alice, id, { epoch: 1 })).body.details).toMatchObject({ expiresAt });

    t.clock.advance(HOUR);
    // Every node reads the expiry itself: sending is allowed from that moment, before any sweep.
    expect((await send(t, alice, id, { epoch: 1 })).status).toBe(200);
    expect(await page(bob, '@news')).toEqual([]);
    await new Janitor(t.ctx).runOnce();
    expect(await page(bob, '@news')).toEqual([['for a while', 'visible']]);
    for (const order of [sending, hiding]) {
      const res = (await getOrder(order.orderId)).body as RestrictionOrderWithTrail;
      expect(res).toMatchObject({ status: 'expired', endedAt: t.clock.now(), endReason: null });
      expect(res.auditTrail.map((e) => [e.kind, e.actor.type])).toEqual([
        ['restriction.issued', 'authority'],
        ['restriction.expired', 'system'],
      ]);
    }
    const lifted = await socket.waitForEvents('restriction.lifted', 2);
    expect(lifted.map((e) => [e.orderId, e.outcome]).sort()).toEqual(
      [
        [sending.orderId, 'expired'],
        [hiding.orderId, 'expired'],
      ].sort(),
    );
    // A second sweep finds nothing left to do.
    await new Janitor(t.ctx).runOnce();
    expect((await auditKinds()).filter((k) => k === 'restriction.expired')).toHaveLength(2);
  });

  it("limits an account's reach: out of search and lookup, no new followers or conversations, the rest kept", async () => {
    const carol = await identifiedUser(t, '+79001620061');
    const dave = await identifiedUser(t, '+79001620062');
    const eve = await identifiedUser(t, '+79001620063');
    await createChannel(carol, 'carolnews');
    expect((await call('PUT', '/v1/channels/@carolnews/follow', dave)).status).toBe(204);
    const id = await createConversation(t, carol, 'group');
    await addMembers(t, carol, id, 0, [dave]);

    const order = await issued({ type: 'account_reach', accountId: carol.accountId });
    expect(order.action).toBe('limit');
    expect((await call('GET', '/v1/channels?q=carol', eve)).body.channels).toEqual([]);
    const follow = await call('PUT', '/v1/channels/@carolnews/follow', eve);
    expect(follow.status).toBe(451);
    expect(follow.body.code).toBe('RESTRICTED');
    expect((await call('PUT', '/v1/channels/@carolnews/follow', dave)).status).toBe(204);
    const lookup = await call('POST', '/v1/users/lookup', eve, { phoneNumber: '+79001620061' });
    expect(lookup.body).toMatchObject({ exists: false, accountId: null });
    expect((await call('POST', '/v1/users/lookup', carol, { phoneNumber: '+79001620063' })).body.exists).toBe(true);

    const created = await call('POST', '/v1/conversations', carol, { conversationId: groupId(), kind: 'group' });
    expect(created.status).toBe(403);
    expect(created.body.code).toBe('RESTRICTED');
    expect(created.body.message).toContain('start conversations');
    expect((await call('POST', '/v1/keys/claim', carol, { accountId: eve.accountId })).body.code).toBe('RESTRICTED');
    const adding = await send(t, carol, id, { kind: 'commit', epoch: 1, add: [eve.accountId], welcome: blob() });
    expect(adding.body.code).toBe('RESTRICTED');
    // What she has stays: her conversation, her channel and its followers.
    expect((await send(t, carol, id, { epoch: 1 })).status).toBe(200);
    expect((await post(carol, '@carolnews', 'still read by dave')).status).toBe('visible');
    expect(await page(dave, '@carolnews')).toEqual([['still read by dave', 'visible']]);

    expect((await revoke(order.orderId)).status).toBe(200);
    expect((await call('GET', '/v1/channels?q=carol', eve)).body.channels).toHaveLength(1);
    expect((await call('PUT', '/v1/channels/@carolnews/follow', eve)).status).toBe(204);
    expect((await call('POST', '/v1/users/lookup', eve, { phoneNumber: '+79001620061' })).body.exists).toBe(true);
  });

  it("refuses unsigned requests, authorities without the restriction role, and another authority's orders", async () => {
    const owner = await identifiedUser(t, '+79001620071');
    await createChannel(owner, 'news');
    const bad = await post(owner, '@news', 'text');
    const body = orderOf({ type: 'channel_post', postId: bad.postId });

    const unsigned = await sendRaw(t, 'POST', ORDERS, { 'content-type': 'application/json' }, JSON.stringify(body));
    expect(unsigned.status).toBe(401);
    expect(unsigned.body.code).toBe('UNAUTHENTICATED');
    const userToken = await t.request('POST', ORDERS, body, owner.token);
    expect(userToken.status).toBe(401);

    const clerk = await createAuthority(t, ['data-request', 'mailing'], 'Records office');
    for (const res of [await issue(body, clerk), await signedRequest(t, clerk.signer, 'GET', ORDERS)]) {
      expect(res.status).toBe(403);
      expect(res.body).toMatchObject({ code: 'PERMISSION_DENIED', details: { reason: 'missing-role' } });
    }
    expect(await t.ctx.db.db.selectFrom('restriction_orders').selectAll().execute()).toEqual([]);

    const order = await issued({ type: 'channel_post', postId: bad.postId });
    const other = await createAuthority(t, ['restriction'], 'Another ministry');
    expect((await getOrder(order.orderId, other)).status).toBe(404);
    expect((await revoke(order.orderId, 'not mine', other)).status).toBe(404);
    const list = await signedRequest(t, other.signer, 'GET', ORDERS);
    expect(list.body).toEqual({ orders: [], nextCursor: null });
    expect(((await getOrder(order.orderId)).body as RestrictionOrder).status).toBe('active');

    const doc = (await t.request('GET', '/openapi.json')).body;
    expect(doc.paths[ORDERS].post.security).toEqual([{ authoritySignature: [] }]);
  });

  it('refuses an order without a legal basis, with a malformed target or action, or naming encrypted content', async () => {
    const owner = await identifiedUser(t, '+79001620081');
    const channel = await createChannel(owner, 'news');
    const p = await post(owner, '@news', 'text');
    const good = orderOf({ type: 'channel_post', postId: p.postId });
    const { legalBasis: _basis, ...withoutBasis } = good;
    const cases: Array<[unknown, string]> = [
      [withoutBasis, 'legalBasis'],
      [{ ...good, legalBasis: { text: orderBasis.text } }, 'reference'],
      [{ ...good, legalBasis: { ...orderBasis, text: ' \n ' } }, 'legalBasis.text must not be blank'],
      [{ ...good, legalBasis: { ...orderBasis, reference: '  ' } }, 'legalBasis.reference must not be blank'],
      [{ ...good, target: { postId: p.postId } }, 'type'],
      [{ ...good, target: { type: 'bogus' } }, 'target.type must be one of channel_post, channel'],
      [{ ...good, target: { type: 'conversation', conversationId: 'abc' } }, 'end-to-end encrypted'],
      [{ ...good, target: { type: 'message', messageId: 7 } }, 'end-to-end encrypted'],
      [
        { ...good, target: { type: 'channel_post', postId: p.postId, messageId: 7 } },
        'account_sending or account_reach',
      ],
      [{ ...good, target: { type: 'channel_post' } }, 'target.postId is required for a channel_post target'],
      [{ ...good, target: { type: 'channel_post', postId: 0 } }, "target.postId must be the post's number"],
      [{ ...good, target: { type: 'channel_post', postId: String(p.postId) } }, 'postId'],
      [{ ...good, target: { type: 'channel_post', channelId: channel.channelId } }, 'takes only target.postId'],
      [{ ...good, target: { type: 'account_sending', accountId: 'bob' } }, 'target.accountId must be an account id'],
      [{ ...good, target: { type: 'content_fingerprint', sha256: 'abc' } }, 'target.sha256 must be the SHA-256'],
      [{ ...good, action: 'suspend' }, 'action must be "hide" for a channel_post target'],
      [{ ...good, action: undefined }, 'action'],
      [{ ...good, expiresAt: t.clock.now() }, 'expiresAt must be in the future'],
      [{ ...good, expiresAt: -1 }, 'expiresAt'],
      [{ ...good, notice: { withheld: true } }, 'notice.legalGround is required'],
      [{ ...good, notice: { withheld: true, legalGround: ' ' } }, 'notice.legalGround must not be blank'],
      [{ ...good, notice: { withheld: false, legalGround: 'x' } }, 'goes only with notice.withheld: true'],
      [{ ...good, extra: 1 }, 'additional properties'],
    ];
    for (const [body, mention] of cases) {
      const res = await issue(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.code, res.text).toBe('INVALID_ARGUMENT');
      expect(res.body.message, JSON.stringify(body)).toContain(mention);
    }
    const missing: Array<[Target, string]> = [
      [{ type: 'channel_post', postId: 999_999 }, 'no channel post 999999'],
      [{ type: 'channel', channelId: 'ch_nothing' }, 'no channel ch_nothing'],
      [{ type: 'account_reach', accountId: 'acc_nobody' }, 'no account acc_nobody'],
    ];
    for (const [target, message] of missing) {
      const res = await issue(orderOf(target));
      expect(res.status, res.text).toBe(404);
      expect(res.body).toMatchObject({ code: 'NOT_FOUND', message });
    }
    expect(await t.ctx.db.db.selectFrom('restriction_orders').selectAll().execute()).toEqual([]);
    expect(await auditKinds()).toEqual([]);

    const order = await issued({ type: 'channel', channelId: channel.channelId });
    const blank = await revoke(order.orderId, '   ');
    expect(blank.status).toBe(400);
    expect(blank.body.message).toContain('reason must not be blank');
    expect((await signedRequest(t, court.signer, 'POST', `${ORDERS}/${order.orderId}/revoke`, {})).status).toBe(400);
    expect((await getOrder('ro_unknown')).status).toBe(404);
  });

  it('counts orders in the transparency report by target and outcome; the SDK issues, lists, reads and revokes', async () => {
    const before = t.clock.now();
    const owner = await identifiedUser(t, '+79001620091');
    await createChannel(owner, 'news');
    const p = await post(owner, '@news', 'counted');
    const client = new AuthorityClient({ baseUrl: t.url, signer: court.signer, now: () => t.clock.now() });

    const byPost = await client.issueOrder(
      orderOf({ type: 'channel_post', postId: p.postId }) as CreateRestrictionOrder,
    );
    t.clock.advance(1);
    await client.issueOrder(
      orderOf(
        { type: 'account_sending', accountId: owner.accountId },
        { expiresAt: t.clock.now() + MINUTE, notice: { withheld: true, legalGround: 'Article 10' } },
      ) as CreateRestrictionOrder,
    );
    t.clock.advance(1);
    await client.issueOrder(
      orderOf({ type: 'content_fingerprint', sha256: sha256Hex('other') }) as CreateRestrictionOrder,
    );
    t.clock.advance(MINUTE);
    await client.revokeOrder(byPost.orderId, 'quashed');
    await new Janitor(t.ctx).runOnce();

    const list = await client.listOrders({ limit: '2' });
    expect(Value.Check(RestrictionOrderList, list)).toBe(true);
    expect(list.orders.map((o) => o.target.type)).toEqual(['content_fingerprint', 'account_sending']);
    const rest = await client.listOrders({ before: list.nextCursor as string });
    expect(rest).toMatchObject({ orders: [{ orderId: byPost.orderId, status: 'revoked' }], nextCursor: null });
    expect((await client.listOrders({ status: 'expired' })).orders.map((o) => o.target.type)).toEqual([
      'account_sending',
    ]);
    expect((await client.getOrder(byPost.orderId)).auditTrail.map((e) => e.kind)).toEqual([
      'restriction.issued',
      'restriction.revoked',
    ]);

    const report = await transparencyReport(t.ctx.audit, before, t.clock.now() + 1, t.clock.now());
    expect(report.restrictionOrders).toEqual({
      entries: 5,
      byKind: { 'restriction.issued': 3, 'restriction.revoked': 1, 'restriction.expired': 1 },
      issued: 3,
      revoked: 1,
      expired: 1,
      noticeWithheld: 1,
      postsRestricted: 1,
      byTarget: {
        channel_post: { issued: 1, revoked: 1, expired: 0 },
        account_sending: { issued: 1, revoked: 0, expired: 1 },
        content_fingerprint: { issued: 1, revoked: 0, expired: 0 },
      },
      byAuthority: { 'District Court': 3 },
    });
    const markdown = transparencyMarkdown(report);
    expect(markdown).toContain('## Restriction orders');
    expect(markdown).toContain('| Orders issued | 3 |');
    expect(markdown).toContain('| Orders issued with notice to the user withheld | 1 |');
    expect(markdown).toContain("| Account's sending suspended | 1 | 0 | 1 |");
    expect(markdown).toContain('| District Court | 3 |');
  });
});
