import { generateKeyPairSync } from 'node:crypto';
import { testDialects } from '@signet/common';
import { afterEach, describe, expect, it } from 'vitest';
import { type NoticeEvents, SignetApiError } from '../src';
import { AuthorityClient, AuthoritySigner } from '../src/authority';
import { type Device, identifiedUser, settle, TestServer, waitFor } from './scenario-helpers';

describe.each(testDialects())('official notices through the SDK (%s)', (dialect) => {
  let t: TestServer;
  const devices: Device[] = [];
  afterEach(async () => {
    for (const d of devices.splice(0)) d.client.stop();
    await t?.close();
  });

  async function user(phone: string, offline = false) {
    const d = await identifiedUser(t, phone, { offline });
    devices.push(d);
    return d;
  }

  async function authority(name: string) {
    const { authority, privateKey } = await t.ctx.authority.admin.create({ name, roles: ['mailing'], by: 'test' });
    const signer = await AuthoritySigner.fromCredential({ authorityId: authority.id, privateKey });
    return new AuthorityClient({ baseUrl: t.url, signer, now: () => t.clock.now() });
  }

  function collect(d: Device) {
    const got: NoticeEvents['notice'][] = [];
    d.client.notices.on('notice', (n) => got.push(n));
    return got;
  }

  it('receives a signed notice live, verifies it, and flags one whose stored text was altered', async () => {
    t = await TestServer.start(dialect);
    const ministry = await authority('Ministry of Emergencies');
    const reader = await user('+79001710001');
    const outsider = await user('+79501710002');
    const live = collect(reader);
    const outside = collect(outsider);

    const sent = await ministry.sendMailing({
      title: 'Storm warning',
      body: 'Stay indoors tonight.',
      audience: { prefixes: ['+7900'] },
    });
    expect(sent).toMatchObject({ duplicate: false, counts: { audience: 1, delivered: 0, read: 0 } });
    await waitFor(() => live.length === 1, 'the live notice');
    expect(live[0]).toMatchObject({
      noticeId: sent.mailingId,
      notice: { title: 'Storm warning', body: 'Stay indoors tonight.', audience: { prefixes: ['+7900'] } },
      authority: { authorityId: sent.authorityId, name: 'Ministry of Emergencies' },
      verification: 'verified',
      verified: true,
      muted: false,
    });
    await settle();
    expect(outside).toEqual([]);
    expect((await outsider.client.notices.list()).notices).toEqual([]);

    // The device acknowledged it live: it counts as delivered.
    await waitFor(async () => {
      await t.ctx.mailings.cursors.flush();
      return (await ministry.mailing(sent.mailingId)).counts.delivered === 1;
    }, 'the delivered count');

    const { notices } = reader.client;
    expect(await notices.unreadCount()).toBe(1);
    const [listed] = (await notices.list()).notices;
    expect(listed).toMatchObject({ noticeId: sent.mailingId, verified: true });
    expect(await notices.authority(sent.authorityId)).toMatchObject({
      name: 'Ministry of Emergencies',
      publicKey: listed?.authority.publicKey,
    });
    await notices.markRead(sent.mailingId);
    expect(await notices.unreadCount()).toBe(0);
    expect((await ministry.mailing(sent.mailingId)).counts).toEqual({ audience: 1, delivered: 1, read: 1 });

    // Text changed on the server after signing: the client refuses to call it verified.
    await t.ctx.db.db.updateTable('mailings').set({ body: 'Go outside tonight.' }).execute();
    const [altered] = (await notices.list()).notices;
    expect(altered).toMatchObject({ notice: { body: 'Go outside tonight.' }, verification: 'bad-signature' });
    expect(altered?.verified).toBe(false);

    // The server swapping the authority's key (to pass off its own signature) is noticed: the key was pinned.
    const forged = generateKeyPairSync('ed25519').publicKey.export({ format: 'jwk' }).x as string;
    await t.ctx.db.db
      .updateTable('authorities')
      .set({ public_key: forged })
      .where('id', '=', sent.authorityId)
      .execute();
    expect((await notices.list()).notices[0]?.verification).toBe('key-changed');
  });

  it('mutes notices (they still arrive, marked muted), cannot block them, and catches up after a restart', async () => {
    t = await TestServer.start(dialect);
    const ministry = await authority('Ministry of Emergencies');
    const reader = await user('+79001720001');
    const live = collect(reader);

    await reader.client.notices.mute();
    expect((await reader.client.notices.state()).muted).toBe(true);
    const first = await ministry.sendMailing({ title: 'Drill', body: 'Sirens at noon.', audience: { all: true } });
    await waitFor(() => live.length === 1, 'the muted notice');
    expect(live[0]).toMatchObject({ noticeId: first.mailingId, muted: true, verified: true });
    await reader.client.notices.unmute();

    const blocked = await reader.client.blocks.block(reader.client.notices.conversationId).catch((e: unknown) => e);
    expect(blocked).toBeInstanceOf(SignetApiError);
    expect(blocked).toMatchObject({ status: 400, code: 'NOT_BLOCKABLE' });
    expect(reader.client.notices).toMatchObject({ title: 'Official notices', readOnly: true });

    // Offline while a notice is sent: it is emitted once the device is back.
    reader.client.stop();
    const second = await ministry.sendMailing({
      title: 'All clear',
      body: 'Sirens are over.',
      audience: { all: true },
    });
    await settle();
    expect(live).toHaveLength(1);
    await reader.client.start();
    await waitFor(() => live.length === 2, 'the notice missed while offline');
    expect(live[1]).toMatchObject({ noticeId: second.mailingId, verified: true, muted: false });
    // A later reconnect does not emit it again.
    reader.client.stop();
    await reader.client.start();
    await reader.client.sync();
    await settle();
    expect(live).toHaveLength(2);
  });
});
