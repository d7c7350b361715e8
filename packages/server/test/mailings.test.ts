import { HOUR, MINUTE, testDialects } from '@signet/common';
import {
  Mailing,
  MailingList,
  MailingSent,
  type NoticeContent,
  type NoticeFrame,
  NoticePage,
  NoticeState,
  ServerFrame,
} from '@signet/protocol';
import { Value } from 'typebox/value';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { transparencyReport } from '../src/audit/transparency';
import { createAuthority, type SignedOptions, signedRequest, type TestAuthority } from './authority-helpers';
import { TestServer } from './harness';
import { identifiedUser, setState, type User } from './messaging-helpers';
import { settle, TestSocket } from './ws-client';

const MAILINGS = '/authority/v1/mailings';

describe.each(testDialects())('official mass mailings (%s)', (dialect) => {
  let t: TestServer;
  let ministry: TestAuthority;
  const sockets: TestSocket[] = [];
  beforeEach(async () => {
    t = await TestServer.start(dialect);
    ministry = await createAuthority(t, ['mailing'], 'Ministry of Emergencies');
  });
  afterEach(async () => {
    for (const s of sockets.splice(0)) s.close();
    await t.close();
  });

  const notice = (over: Partial<NoticeContent> = {}): NoticeContent => ({
    title: 'Storm warning',
    body: 'Stay indoors tonight.\nShelters: schools 3 and 7.',
    audience: { all: true },
    issuedAt: t.clock.now(),
    ...over,
  });

  /** Signs the notice with the authority's key and sends it in a signed request. */
  async function mail(content: NoticeContent, who = ministry, options: SignedOptions & { signature?: string } = {}) {
    const signature = options.signature ?? (await who.signer.signNotice(content));
    return signedRequest(t, who.signer, 'POST', MAILINGS, { notice: content, signature }, options);
  }

  async function sent(content: NoticeContent, who = ministry): Promise<MailingSent> {
    const res = await mail(content, who);
    expect(res.status, res.text).toBe(201);
    expect(Value.Check(MailingSent, res.body)).toBe(true);
    return res.body;
  }

  const call = (method: string, path: string, user: User, body?: unknown) => t.request(method, path, body, user.token);

  async function notices(user: User, query = ''): Promise<NoticePage> {
    const res = await call('GET', `/v1/notices${query}`, user);
    expect(res.status, res.text).toBe(200);
    expect(Value.Check(NoticePage, res.body)).toBe(true);
    return res.body;
  }

  async function mailing(id: number, who = ministry): Promise<Mailing> {
    const res = await signedRequest(t, who.signer, 'GET', `${MAILINGS}/${id}`);
    expect(res.status, res.text).toBe(200);
    expect(Value.Check(Mailing, res.body)).toBe(true);
    return res.body;
  }

  async function open(user: User) {
    const socket = await TestSocket.open(t.url, user.token);
    sockets.push(socket);
    return socket;
  }

  const noticeFrames = (socket: TestSocket) => socket.frames.filter((f): f is NoticeFrame => f.type === 'notice');
  const auditOf = async (kind: string) =>
    (await t.ctx.db.db.selectFrom('audit_log').selectAll().where('kind', '=', kind).orderBy('seq').execute()).map(
      (r) => ({ ...r, payload: JSON.parse(r.payload) }),
    );

  it('reaches exactly the accounts whose numbers match a prefix, over HTTP and live, stored once', async () => {
    const moscow = await identifiedUser(t, '+79001110001');
    const moscow2 = await identifiedUser(t, '+79011110002');
    const elsewhere = await identifiedUser(t, '+79501110003');
    const pending = await t.register('+79001110004');
    const live = {
      moscow: await open(moscow),
      moscow2: await open(moscow2),
      elsewhere: await open(elsewhere),
      pending: await open({ ...pending }),
    };

    const content = notice({ audience: { prefixes: ['+7901', '+7900', '+7900'] } });
    const m = await sent(content);
    // Prefixes are kept sorted and without repeats, as they are signed.
    expect(m).toMatchObject({
      authorityId: ministry.id,
      notice: { ...content, audience: { prefixes: ['+7900', '+7901'] } },
      status: 'active',
      sentAt: t.clock.now(),
      counts: { audience: 2, delivered: 0, read: 0 },
      duplicate: false,
    });
    expect(await t.ctx.db.db.selectFrom('mailings').selectAll().execute()).toHaveLength(1);

    for (const socket of [live.moscow, live.moscow2]) {
      const frame = (await socket.waitFor((f) => f.type === 'notice')) as NoticeFrame;
      expect(Value.Check(ServerFrame, frame)).toBe(true);
      expect(frame.notice).toEqual({
        noticeId: m.mailingId,
        notice: m.notice,
        signature: m.signature,
        authority: {
          authorityId: ministry.id,
          name: 'Ministry of Emergencies',
          publicKey: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
        },
        sentAt: m.sentAt,
      });
    }
    await settle();
    expect(noticeFrames(live.elsewhere)).toEqual([]);
    // Not identified: neither pushed nor readable.
    expect(noticeFrames(live.pending)).toEqual([]);
    const refused = await t.request('GET', '/v1/notices', undefined, pending.token);
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('NOT_IDENTIFIED');

    const page = await notices(moscow);
    expect(page.notices.map((n) => n.noticeId)).toEqual([m.mailingId]);
    expect(page.notices[0]).toEqual(noticeFrames(live.moscow)[0]?.notice);
    expect((await notices(moscow2)).notices).toHaveLength(1);
    expect((await notices(elsewhere)).notices).toEqual([]);

    // Identified later, the account reads what was sent to its number since it was created.
    await setState(t, pending.accountId, 'identified');
    expect((await notices({ ...pending })).notices.map((n) => n.noticeId)).toEqual([m.mailingId]);
    // An account created after the mailing does not inherit it.
    t.clock.advance(MINUTE);
    const newcomer = await identifiedUser(t, '+79001110005');
    expect((await notices(newcomer)).notices).toEqual([]);
  });

  it('sends to all identified users, pages oldest first, and withdraws with a live frame', async () => {
    const a = await identifiedUser(t, '+79001120001');
    const b = await identifiedUser(t, '+79601120002');
    const socket = await open(b);
    const ids: number[] = [];
    for (let i = 0; i < 5; i++) {
      ids.push((await sent(notice({ title: `Notice ${i}`, issuedAt: t.clock.now() + i }))).mailingId);
    }
    expect(ids).toEqual([...ids].sort((x, y) => x - y));
    await socket.waitFor(() => noticeFrames(socket).length === 5);
    expect(noticeFrames(socket).map((f) => f.notice.noticeId)).toEqual(ids);

    const first = await notices(a, '?limit=2');
    expect(first.notices.map((n) => n.noticeId)).toEqual(ids.slice(0, 2));
    expect(first.nextCursor).toBe(String(ids[1]));
    const rest = await notices(a, `?after=${first.nextCursor}`);
    expect(rest.notices.map((n) => n.noticeId)).toEqual(ids.slice(2));
    expect(rest.nextCursor).toBeNull();

    const withdrawn = await signedRequest(t, ministry.signer, 'DELETE', `${MAILINGS}/${ids[2]}`);
    expect(withdrawn.status, withdrawn.text).toBe(200);
    expect(withdrawn.body).toMatchObject({ status: 'withdrawn', withdrawnAt: t.clock.now() });
    await socket.waitFor((f) => f.type === 'notice.withdrawn');
    expect(socket.frames.find((f) => f.type === 'notice.withdrawn')).toEqual({
      type: 'notice.withdrawn',
      noticeId: ids[2],
    });
    expect((await notices(a)).notices.map((n) => n.noticeId)).toEqual([ids[0], ids[1], ids[3], ids[4]]);
    // Withdrawing twice is one withdrawal.
    expect((await signedRequest(t, ministry.signer, 'DELETE', `${MAILINGS}/${ids[2]}`)).status).toBe(200);
    expect(await auditOf('mailing.withdrawn')).toHaveLength(1);

    const list = await signedRequest(t, ministry.signer, 'GET', `${MAILINGS}?limit=3`);
    expect(list.status).toBe(200);
    expect(Value.Check(MailingList, list.body)).toBe(true);
    expect(list.body.mailings.map((x: Mailing) => x.mailingId)).toEqual([ids[4], ids[3], ids[2]]);
    expect(list.body.nextCursor).toBe(String(ids[2]));
  });

  it('refuses a notice whose signature does not match it, and unsigned or role-less requests', async () => {
    const user = await identifiedUser(t, '+79001130001');
    const content = notice();
    const signature = await ministry.signer.signNotice(content);
    const court = await createAuthority(t, ['data-request'], 'District Court');
    const impostor = await createAuthority(t, ['mailing'], 'Impostor');

    const cases: Array<[string, Promise<{ status: number; body: any }>]> = [
      ['body altered', mail({ ...content, body: 'Go outside.' }, ministry, { signature })],
      ['audience widened', mail({ ...content, audience: { prefixes: ['+7'] } }, ministry, { signature })],
      ['time changed', mail({ ...content, issuedAt: content.issuedAt + 1 }, ministry, { signature })],
      // Signed by the impostor's key but sent as the ministry's own request: the key is the sender's.
      ['another key', mail(content, ministry, { signature: await impostor.signer.signNotice(content) })],
      // The ministry's signature names the ministry: the impostor cannot send it as its own.
      ['another authority', mail(content, impostor, { signature })],
      ['garbage', mail(content, ministry, { signature: 'A'.repeat(86) })],
    ];
    for (const [what, pending] of cases) {
      const res = await pending;
      expect(res.status, what).toBe(400);
      expect(res.body, what).toMatchObject({ code: 'INVALID_SIGNATURE', details: { reason: 'bad-notice-signature' } });
    }
    const malformed = await mail(content, ministry, { signature: 'short' });
    expect(malformed.status).toBe(400);

    // Unsigned, signed by a device token, or by an authority without the role.
    const unsigned = await t.request('POST', MAILINGS, { notice: content, signature });
    expect(unsigned.status).toBe(401);
    expect(unsigned.body.details.reason).toBe('unsigned');
    expect((await t.request('POST', MAILINGS, { notice: content, signature }, user.token)).status).toBe(401);
    const roleless = await mail(content, court, { signature: await court.signer.signNotice(content) });
    expect(roleless.status).toBe(403);
    expect(roleless.body.details.reason).toBe('missing-role');
    expect((await signedRequest(t, court.signer, 'GET', MAILINGS)).status).toBe(403);

    expect(await t.ctx.db.db.selectFrom('mailings').selectAll().execute()).toEqual([]);
    expect((await notices(user)).notices).toEqual([]);
    // The genuine one goes through, once: the same signed notice again is the same mailing.
    const m = await sent(content);
    const again = await mail(content, ministry, { signature });
    expect(again.status).toBe(201);
    expect(again.body).toMatchObject({ mailingId: m.mailingId, duplicate: true });
    expect(await t.ctx.db.db.selectFrom('mailings').selectAll().execute()).toHaveLength(1);
    // Another authority's mailing is not there for it.
    expect((await signedRequest(t, impostor.signer, 'GET', `${MAILINGS}/${m.mailingId}`)).status).toBe(404);
    expect((await signedRequest(t, impostor.signer, 'DELETE', `${MAILINGS}/${m.mailingId}`)).status).toBe(404);
  });

  it('refuses blank or unprintable text, a malformed audience, and a stale or future issue time', async () => {
    const bad: Array<[string, unknown, number]> = [
      ['blank title', notice({ title: '   ' }), 400],
      ['NUL in body', notice({ body: 'a\u0000b' }), 400],
      ['unpaired surrogate', notice({ title: 'x\uD800' }), 400],
      ['no prefixes', notice({ audience: { prefixes: [] } }), 400],
      ['not a prefix', notice({ audience: { prefixes: ['7900'] } }), 400],
      ['too many prefixes', notice({ audience: { prefixes: Array.from({ length: 101 }, (_, i) => `+7${i}`) } }), 400],
      ['both', { ...notice(), audience: { all: true, prefixes: ['+7'] } }, 400],
      ['long body', notice({ body: 'x'.repeat(4001) }), 400],
      ['old', notice({ issuedAt: t.clock.now() - 25 * HOUR }), 400],
      ['future', notice({ issuedAt: t.clock.now() + 6 * MINUTE }), 400],
    ];
    for (const [what, content, status] of bad) {
      const signature = await ministry.signer.signNotice(content as NoticeContent).catch(() => 'A'.repeat(86));
      const res = await signedRequest(t, ministry.signer, 'POST', MAILINGS, { notice: content, signature });
      expect(res.status, `${what}: ${res.text}`).toBe(status);
      expect(res.body.code, what).toBe('INVALID_ARGUMENT');
    }
    expect(await t.ctx.db.db.selectFrom('mailings').selectAll().execute()).toEqual([]);
  });

  it('counts deliveries as devices fetch or acknowledge live, and reads as accounts mark them', async () => {
    const users = [
      await identifiedUser(t, '+79001140001'),
      await identifiedUser(t, '+79001140002'),
      await identifiedUser(t, '+79001140003'),
      await identifiedUser(t, '+79501140004'),
    ];
    const m = await sent(notice({ audience: { prefixes: ['+7900'] } }));
    expect(m.counts).toEqual({ audience: 3, delivered: 0, read: 0 });

    const [a, b, c, other] = users as [User, User, User, User];
    await notices(a);
    // Outside the audience: its cursor moves, but it is not counted.
    await notices(other);
    expect((await mailing(m.mailingId)).counts).toEqual({ audience: 3, delivered: 1, read: 0 });

    // A live notice acknowledged over the socket counts once the acknowledgements are written.
    const socket = await open(b);
    const m2 = await sent(notice({ title: 'Second', audience: { prefixes: ['+7900'] } }));
    await socket.waitFor((f) => f.type === 'notice' && f.notice.noticeId === m2.mailingId);
    socket.send({ type: 'notice.ack', upTo: m2.mailingId + 1000 });
    await settle();
    await t.ctx.mailings.cursors.flush();
    expect((await mailing(m.mailingId)).counts.delivered).toBe(2);
    expect((await mailing(m2.mailingId)).counts.delivered).toBe(1);
    // Acknowledging beyond the newest mailing does not count the next one in advance.
    const state = await call('GET', '/v1/notices/state', b);
    expect(state.body.deliveredUpTo).toBe(m2.mailingId);

    const read = await call('PUT', '/v1/notices/read', c, { upTo: m.mailingId });
    expect(read.status).toBe(204);
    expect((await mailing(m.mailingId)).counts).toEqual({ audience: 3, delivered: 3, read: 1 });
    expect((await mailing(m2.mailingId)).counts).toEqual({ audience: 3, delivered: 1, read: 0 });

    const cState = await call('GET', '/v1/notices/state', c);
    expect(Value.Check(NoticeState, cState.body)).toBe(true);
    expect(cState.body).toEqual({ deliveredUpTo: m.mailingId, readUpTo: m.mailingId, muted: false, unread: 1 });
    expect((await notices(a)).state).toMatchObject({ unread: 2, readUpTo: 0 });
    // The read cursor never moves back.
    await call('PUT', '/v1/notices/read', c, { upTo: 0 });
    expect((await call('GET', '/v1/notices/state', c)).body.readUpTo).toBe(m.mailingId);
  });

  it('lets an account mute notices, which still arrive, but never block them', async () => {
    const user = await identifiedUser(t, '+79001150001');
    const socket = await open(user);
    expect((await call('PUT', '/v1/notices/mute', user, { muted: true })).status).toBe(204);
    const m = await sent(notice());
    await socket.waitFor((f) => f.type === 'notice');
    const page = await notices(user);
    expect(page.notices.map((n) => n.noticeId)).toEqual([m.mailingId]);
    expect(page.state).toMatchObject({ muted: true, unread: 1 });
    expect((await call('PUT', '/v1/notices/mute', user, { muted: false })).status).toBe(204);
    expect((await call('GET', '/v1/notices/state', user)).body.muted).toBe(false);

    for (const target of ['official-notices', ministry.id]) {
      const res = await call('PUT', `/v1/blocks/${target}`, user);
      expect(res.status, target).toBe(400);
      expect(res.body.code).toBe('NOT_BLOCKABLE');
      expect(res.body.message).toContain('mute');
    }
    expect((await call('GET', '/v1/blocks', user)).body.blocked).toEqual([]);

    // The sender is there to be checked: its name and key.
    const info = await call('GET', `/v1/notices/authorities/${ministry.id}`, user);
    expect(info.status).toBe(200);
    expect(info.body).toEqual({
      authorityId: ministry.id,
      name: 'Ministry of Emergencies',
      publicKey: page.notices[0]?.authority.publicKey,
      disabled: false,
    });
    const court = await createAuthority(t, ['data-request'], 'District Court');
    expect((await call('GET', `/v1/notices/authorities/${court.id}`, user)).status).toBe(404);

    const doc = (await t.request('GET', '/openapi.json')).body;
    expect(doc.paths[MAILINGS].post.security).toEqual([{ authoritySignature: [] }]);
    expect(doc.paths['/v1/notices'].get.security).toEqual([{ bearer: [] }]);
  });

  it('audits each mailing and withdrawal, and the transparency report counts them', async () => {
    await identifiedUser(t, '+79001160001');
    await identifiedUser(t, '+79011160002');
    const from = t.clock.now();
    const other = await createAuthority(t, ['mailing'], 'Regional Administration');
    const m1 = await sent(notice());
    const m2 = await sent(notice({ title: 'Water outage', audience: { prefixes: ['+7901'] } }), other);
    expect((await signedRequest(t, other.signer, 'DELETE', `${MAILINGS}/${m2.mailingId}`)).status).toBe(200);

    const sentEntries = await auditOf('mailing.sent');
    expect(sentEntries).toHaveLength(2);
    expect(sentEntries[0]).toMatchObject({
      actor_type: 'authority',
      actor_id: ministry.id,
      subject: `mailing:${m1.mailingId}`,
      payload: {
        mailingId: m1.mailingId,
        authorityName: 'Ministry of Emergencies',
        title: 'Storm warning',
        audience: { all: true },
        audienceSize: 2,
        signature: m1.signature,
        noticeSha256: expect.stringMatching(/^[0-9a-f]{64}$/),
      },
    });
    expect(sentEntries[1]?.payload).toMatchObject({ audience: { prefixes: ['+7901'] }, audienceSize: 1, prefixes: 1 });
    expect((await auditOf('mailing.withdrawn'))[0]).toMatchObject({
      actor_id: other.id,
      payload: { mailingId: m2.mailingId, delivered: 0, read: 0 },
    });
    expect((await t.ctx.audit.verify()).ok).toBe(true);

    const report = await transparencyReport(t.ctx.audit, from, t.clock.now() + 1, t.clock.now());
    expect(report.mailings).toEqual({
      entries: 3,
      byKind: { 'mailing.sent': 2, 'mailing.withdrawn': 1 },
      sent: 2,
      withdrawn: 1,
      toAll: 1,
      toPrefixes: 1,
      recipients: 3,
      byAuthority: { 'Ministry of Emergencies': 1, 'Regional Administration': 1 },
    });
  });
});
