import { SECOND, testDialects } from '@signet/common';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  CORRELATOR,
  completed,
  errorCode,
  newSecret,
  postEvent,
  registerAt,
  requestRow,
  resultFor,
  sign,
  startWorld,
  stopWorld,
  terminated,
  type World,
} from './operator-counterpart';

/*
 * Conformance of the messenger's event endpoint, POST /operator/v1/events (spec section 2, with the
 * events of 4.2 and 4.4), driven by events signed by the independent counterpart's own code.
 */

describe.each(testDialects())('operator identification, messenger side: the event endpoint (%s)', (dialect) => {
  let w: World;
  let n = 0;
  beforeEach(async () => {
    w = await startWorld(dialect);
  });
  afterEach(async () => {
    await stopWorld(w);
  });

  /** A valid event that acts visibly without any account: a notice naming no user we know is recorded. */
  const unknownNotice = (operatorId = 'op1') =>
    terminated(operatorId, [
      {
        noticeId: `ctn_${++n}`,
        phoneNumber: '+79005550000',
        userCodes: [`uc_nobody_${n}_AAAAAAAAAAAAAAAAAAAAAA`],
        reason: 'contract_terminated',
        terminatedAt: new Date(w.t.clock.now()).toISOString(),
      },
    ]);
  const notices = () => w.t.ctx.db.db.selectFrom('termination_notices').selectAll().execute();
  const expectError = (res: { status: number; body: any }, status: number, code: string) => {
    expect(res.status).toBe(status);
    expect(errorCode(res)).toBe(code);
  };

  it('answers 401 to a missing signature, a wrong secret, an unknown operator or a stale timestamp', async () => {
    const { t, op1, op2 } = w;
    const now = Math.floor(t.clock.now() / 1000);
    expect(t.clock.now() % 1000).toBe(0);
    const refused = [
      await postEvent(t, op1.secret, unknownNotice(), { signature: null }),
      await postEvent(t, op1.secret, unknownNotice(), { signature: '' }),
      await postEvent(t, op1.secret, unknownNotice(), { signature: 'v1,AAAA' }),
      await postEvent(t, op1.secret, unknownNotice(), { secret: newSecret() }),
      // Another operator's secret does not vouch for op1.
      await postEvent(t, op1.secret, unknownNotice(), { secret: op2.secret }),
      await postEvent(t, op1.secret, unknownNotice('op9')),
      await postEvent(t, op1.secret, unknownNotice(), { timestamp: now - 301 }),
      await postEvent(t, op1.secret, unknownNotice(), { timestamp: now + 301 }),
    ];
    for (const res of refused) expectError(res, 401, 'UNAUTHENTICATED');
    expect(await notices()).toEqual([]);

    // 300 s either way is still within the tolerance.
    expect((await postEvent(t, op1.secret, unknownNotice(), { timestamp: now - 300 })).status).toBe(204);
    expect((await postEvent(t, op1.secret, unknownNotice(), { timestamp: now + 300 })).status).toBe(204);
    expect(await notices()).toHaveLength(2);
  });

  it('answers 400 to a body that is not JSON when a known secret signs it, 401 otherwise', async () => {
    const { t, op1, op1Old, op2 } = w;
    const broken = '{"type":"identification.completed","operatorId":"op1",';
    expectError(await postEvent(t, op1.secret, broken), 400, 'INVALID_ARGUMENT');
    expectError(await postEvent(t, op1Old, broken), 400, 'INVALID_ARGUMENT');
    expectError(await postEvent(t, op2.secret, broken), 400, 'INVALID_ARGUMENT');
    expectError(await postEvent(t, newSecret(), broken), 401, 'UNAUTHENTICATED');
    expectError(await postEvent(t, op1.secret, broken, { signature: null }), 401, 'UNAUTHENTICATED');
  });

  it('rejects an event with one malformed item as a whole, and applies nothing of it', async () => {
    const { t, op1 } = w;
    const { item } = await registerAt(w, op1, '+79001210001');
    const good = resultFor(item, 'confirmed', null, t.clock.now());
    const now = new Date(t.clock.now()).toISOString();
    const bad: unknown[] = [
      completed('op1', [good, { ...good, requestId: 'idr_other', phoneNumber: '79001210001' }]),
      completed('op1', [good, { ...good, requestId: 'has space' }]),
      completed('op1', [good, { ...good, result: 'maybe' }]),
      completed('op1', [good, { ...good, decidedAt: '2026-02-30T10:00:00Z' }]),
      completed('op1', [good, { ...good, decidedAt: 'yesterday' }]),
      completed('op1', [{ ...good, reasonCode: 'SUBSCRIBER_NOT_FOUND' }]),
      completed('op1', [{ ...good, result: 'denied', reasonCode: null }]),
      completed('op1', [{ ...good, result: 'denied', reasonCode: 'BECAUSE' }]),
      completed('op1', [{ ...good, userCode: undefined }]),
      completed('op1', []),
      { type: 'identification.completed', operatorId: 'op1' },
      { type: 'identification.started', operatorId: 'op1', results: [good] },
      { ...completed('op1', [good]), type: 'subscriber.contract_terminated' },
      terminated('op1', [
        {
          noticeId: 'ctn_x',
          phoneNumber: item.phoneNumber,
          userCodes: [item.userCode],
          reason: 'moved',
          terminatedAt: now,
        },
      ]),
      terminated('op1', [
        {
          noticeId: 'ctn_x',
          phoneNumber: item.phoneNumber,
          userCodes: item.userCode,
          reason: 'ported_out',
          terminatedAt: now,
        },
      ]),
      terminated('op1', []),
    ];
    for (const event of bad) {
      const res = await postEvent(t, op1.secret, event);
      expect({ event, status: res.status }).toEqual({ event, status: 400 });
      expect(errorCode(res)).toBe('INVALID_ARGUMENT');
    }
    // The same bytes again fail the same way: a 400 is final.
    const again = JSON.stringify(bad[0]);
    expectError(await postEvent(t, op1.secret, again, { id: 'evt_same' }), 400, 'INVALID_ARGUMENT');
    expectError(await postEvent(t, op1.secret, again, { id: 'evt_same' }), 400, 'INVALID_ARGUMENT');

    expect((await requestRow(t, item.requestId)).status).toBe('pending');
    expect(await notices()).toEqual([]);
    expect(await t.ctx.db.db.selectFrom('operator_event_ids').selectAll().execute()).toEqual([]);
  });

  it('answers 413 TOO_LARGE to more than 1000 items, and takes 1000', async () => {
    const { t, op1 } = w;
    const result = (i: number) => ({
      requestId: `idr_unknown_${i}`,
      userCode: `uc_unknown_${i}_AAAAAAAAAAAAAAAAAAAAAA`,
      phoneNumber: '+79001220001',
      result: 'denied',
      reasonCode: 'SUBSCRIBER_NOT_FOUND',
      decidedAt: new Date(t.clock.now()).toISOString(),
    });
    const many = (k: number) =>
      completed(
        'op1',
        Array.from({ length: k }, (_, i) => result(i)),
      );
    expectError(await postEvent(t, op1.secret, many(1001), { id: 'evt_big' }), 413, 'TOO_LARGE');
    const notice = unknownNotice();
    const notices1001 = terminated(
      'op1',
      Array.from({ length: 1001 }, (_, i) => ({ ...notice.notices[0], noticeId: `ctn_many_${i}` })),
    );
    expectError(await postEvent(t, op1.secret, notices1001), 413, 'TOO_LARGE');
    // A body past any sane size is refused before it is read, in the same shape and with a correlator.
    const huge = await postEvent(t, op1.secret, `{"pad":"${'x'.repeat(3 * 1024 * 1024)}"}`, { correlator: 'big-1' });
    expectError(huge, 413, 'TOO_LARGE');
    expect(huge.headers.get('x-correlator')).toBe('big-1');
    // Results for requests we never sent are ignored, and still answered 204.
    expect((await postEvent(t, op1.secret, many(1000))).status).toBe(204);
    // The 413 was not remembered: its id may carry a smaller event.
    expect((await postEvent(t, op1.secret, many(3), { id: 'evt_big' })).status).toBe(204);
  });

  it('answers a repeated webhook-id with the same bytes as before without acting again; other bytes get 409', async () => {
    const { t, op1, op2 } = w;
    const applyNotices = vi.spyOn(t.ctx.identification.manager, 'applyNotices');
    const raw = JSON.stringify(unknownNotice());
    const first = await postEvent(t, op1.secret, raw, { id: 'evt_once' });
    expect(first.status).toBe(204);
    t.clock.advance(10 * SECOND);
    // A retry: a fresh timestamp and signature over the same id and bytes.
    const replay = await postEvent(t, op1.secret, raw, { id: 'evt_once', correlator: 'replay-1' });
    expect(replay.status).toBe(first.status);
    expect(replay.text).toBe(first.text);
    expect(replay.headers.get('x-correlator')).toBe('replay-1');
    expect(applyNotices).toHaveBeenCalledTimes(1);

    const reused = await postEvent(t, op1.secret, `${raw} `, { id: 'evt_once', correlator: 'reuse-1' });
    expectError(reused, 409, 'ID_REUSED');
    expect(reused.headers.get('x-correlator')).toBe('reuse-1');
    expectError(await postEvent(t, op1.secret, unknownNotice(), { id: 'evt_once' }), 409, 'ID_REUSED');
    expect(applyNotices).toHaveBeenCalledTimes(1);

    // Ids are per sender: op2 may use the same one.
    expect((await postEvent(t, op2.secret, unknownNotice('op2'), { id: 'evt_once' })).status).toBe(204);
    expect(applyNotices).toHaveBeenCalledTimes(2);
    expect((await notices()).map((x) => x.operator_id).sort()).toEqual(['op1', 'op2']);
  });

  it('acts once on two copies of an event that arrive at the same time', async () => {
    const { t, op1 } = w;
    const { item } = await registerAt(w, op1, '+79001230001');
    const raw = JSON.stringify(completed('op1', [resultFor(item, 'confirmed', null, t.clock.now())]));
    const answers = await Promise.all([
      postEvent(t, op1.secret, raw, { id: 'evt_twice' }),
      postEvent(t, op1.secret, raw, { id: 'evt_twice' }),
    ]);
    expect(answers.map((a) => a.status)).toEqual([204, 204]);
    expect((await requestRow(t, item.requestId)).status).toBe('confirmed');
    const events = await t.ctx.db.db
      .selectFrom('account_events')
      .select('type')
      .where('type', '=', 'identification.confirmed')
      .execute();
    expect(events).toHaveLength(1);
    expect(await t.ctx.db.db.selectFrom('operator_event_ids').select('webhook_id').execute()).toEqual([
      { webhook_id: 'evt_twice' },
    ]);
  });

  it('does not remember answers that did not act: the id works later', async () => {
    const { t, op1 } = w;
    expectError(
      await postEvent(t, op1.secret, unknownNotice(), { id: 'evt_a', secret: newSecret() }),
      401,
      'UNAUTHENTICATED',
    );
    expect((await postEvent(t, op1.secret, unknownNotice(), { id: 'evt_a' })).status).toBe(204);

    expectError(await postEvent(t, op1.secret, terminated('op1', []), { id: 'evt_b' }), 400, 'INVALID_ARGUMENT');
    expect((await postEvent(t, op1.secret, unknownNotice(), { id: 'evt_b' })).status).toBe(204);

    expectError(
      await postEvent(t, op1.secret, unknownNotice(), { id: 'evt_c', correlator: 'bad correlator' }),
      400,
      'INVALID_ARGUMENT',
    );
    expect((await postEvent(t, op1.secret, unknownNotice(), { id: 'evt_c' })).status).toBe(204);
    expect(await notices()).toHaveLength(3);
  });

  it('answers 400 to a signed event whose webhook-id is not an identifier', async () => {
    const { t, op1 } = w;
    for (const id of ['x'.repeat(65), 'has.dot', 'evt:1']) {
      expectError(await postEvent(t, op1.secret, unknownNotice(), { id }), 400, 'INVALID_ARGUMENT');
    }
    expect((await postEvent(t, op1.secret, unknownNotice(), { id: 'x'.repeat(64) })).status).toBe(204);
    expect(await notices()).toHaveLength(1);
  });

  it('accepts events signed by any configured secret, and several signatures in one header', async () => {
    const { t, op1, op1Old } = w;
    expect((await postEvent(t, op1.secret, unknownNotice())).status).toBe(204);
    expect((await postEvent(t, op1Old, unknownNotice())).status).toBe(204);
    const ts = Math.floor(t.clock.now() / 1000);
    const raw = JSON.stringify(unknownNotice());
    const good = sign(op1Old, 'evt_multi', ts, raw);
    const wrong = sign(newSecret(), 'evt_multi', ts, raw);
    const header = `${wrong} v2,${good.slice(3)} ${good}`;
    expect((await postEvent(t, op1.secret, raw, { id: 'evt_multi', timestamp: ts, signature: header })).status).toBe(
      204,
    );
    const onlyWrong = `${wrong} ${sign(newSecret(), 'evt_multi2', ts, raw)}`;
    expectError(
      await postEvent(t, op1.secret, raw, { id: 'evt_multi2', timestamp: ts, signature: onlyWrong }),
      401,
      'UNAUTHENTICATED',
    );
    expect(await notices()).toHaveLength(3);
  });

  it('echoes x-correlator on every answer, makes one up when absent, and refuses a malformed one', async () => {
    const { t, op1 } = w;
    const echoed = async (correlator: string, event: unknown, options = {}) => {
      const res = await postEvent(t, op1.secret, event, { correlator, ...options });
      expect(res.headers.get('x-correlator')).toBe(correlator);
      return res.status;
    };
    expect(await echoed('abc.DEF:1-2_3', unknownNotice())).toBe(204);
    expect(await echoed('c-401', unknownNotice(), { signature: null })).toBe(401);
    expect(await echoed('c-400', '{')).toBe(400);
    expect(await echoed('c-400b', terminated('op1', []))).toBe(400);
    expect(await echoed('x'.repeat(128), unknownNotice())).toBe(204);

    const none = await postEvent(t, op1.secret, unknownNotice(), { correlator: null });
    expect(none.status).toBe(204);
    expect(none.headers.get('x-correlator')).toMatch(CORRELATOR);

    const before = (await notices()).length;
    for (const bad of ['has space', 'x'.repeat(129), 'a/b', 'ü']) {
      const res = await postEvent(t, op1.secret, unknownNotice(), { correlator: bad });
      expectError(res, 400, 'INVALID_ARGUMENT');
      const own = res.headers.get('x-correlator');
      expect(own).toMatch(CORRELATOR);
      expect(own).not.toBe(bad);
    }
    expect(await notices()).toHaveLength(before);
  });

  it('ignores results it cannot match to a request of that operator, answering 204', async () => {
    const { t, op1, op2 } = w;
    const { item } = await registerAt(w, op1, '+79001240001');
    const confirmed = resultFor(item, 'confirmed', null, t.clock.now());
    // Another operator cannot decide op1's request, nor can a result for another code or number.
    expect((await postEvent(t, op2.secret, completed('op2', [confirmed]))).status).toBe(204);
    expect(
      (
        await postEvent(
          t,
          op1.secret,
          completed('op1', [{ ...confirmed, userCode: 'uc_someone_else_AAAAAAAAAAAAAAAAAAAA' }]),
        )
      ).status,
    ).toBe(204);
    expect(
      (await postEvent(t, op1.secret, completed('op1', [{ ...confirmed, phoneNumber: '+79001240002' }]))).status,
    ).toBe(204);
    expect((await requestRow(t, item.requestId)).status).toBe('pending');
    // A confirmation may leave reasonCode out, and give decidedAt in any RFC 3339 form. Applied twice, it settles once.
    const { reasonCode: _, ...bare } = confirmed;
    const withOffset = { ...bare, decidedAt: '2026-11-29t13:00:00.5+03:00' };
    expect((await postEvent(t, op1.secret, completed('op1', [withOffset]))).status).toBe(204);
    expect((await requestRow(t, item.requestId)).decided_at).toBe(Date.parse('2026-11-29T10:00:00.500Z'));
    expect((await postEvent(t, op1.secret, completed('op1', [confirmed]))).status).toBe(204);
    expect(
      (
        await postEvent(
          t,
          op1.secret,
          completed('op1', [{ ...confirmed, result: 'denied', reasonCode: 'SUBSCRIBER_NOT_FOUND' }]),
        )
      ).status,
    ).toBe(204);
    expect((await requestRow(t, item.requestId)).status).toBe('confirmed');
  });
});
