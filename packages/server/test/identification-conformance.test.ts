import { MINUTE, SECOND, testDialects } from '@signet/common';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  accountRow,
  CORRELATOR,
  completed,
  IDENTIFIER,
  MESSENGER_ID,
  postEvent,
  type RequestItem,
  registerAt,
  requestRow,
  resultFor,
  settle,
  startWorld,
  stopWorld,
  until,
  type World,
} from './operator-counterpart';
import { TestSocket } from './ws-client';

/*
 * Conformance of the messenger side of the operator identification protocol (spec sections 4.1 to 4.3),
 * against the independent counterpart operator of ./operator-counterpart. Events and the event endpoint
 * are in identification-conformance-events.test.ts; termination, reconciliation and polling in
 * identification-conformance-lifecycle.test.ts.
 */

const DEADLINE = 20 * MINUTE;
const ms = (instant: string) => Date.parse(instant);

describe.each(testDialects())('operator identification, messenger side: requests and results (%s)', (dialect) => {
  let w: World;
  beforeEach(async () => {
    w = await startWorld(dialect);
  });
  afterEach(async () => {
    await stopWorld(w);
  });

  /** Waits until the sender has recorded the answers to the attempts it made, before the clock moves on. */
  const drain = () => w.t.ctx.identification.sender.drain();
  const status = async (token: string) => {
    const res = await w.t.request('GET', '/v1/identification', undefined, token);
    expect(res.status).toBe(200);
    return res.body;
  };

  describe('4.1 identification requests', () => {
    it('sends a signed request with all six fields, recorded durably before it is sent', async () => {
      const { t, op1 } = w;
      const rowsAtArrival: unknown[] = [];
      op1.onBatch = async (body) => {
        const ids = body.requests.map((r) => r.requestId);
        rowsAtArrival.push(
          ...(await t.ctx.db.db
            .selectFrom('identification_requests')
            .selectAll()
            .where('request_id', 'in', ids)
            .execute()),
        );
      };
      const provedAt = t.clock.now();
      const session = await t.verifiedSession('+79001110001');
      // The proof of possession is the SMS code, not the later registration.
      t.clock.advance(90 * SECOND);
      const reg = await t.request('POST', '/v1/registration', { verificationSessionId: session, deviceName: 'phone' });
      expect(reg.status).toBe(200);
      expect(reg.body.state).toBe('pending');
      const [item] = await op1.itemsFor('+79001110001');
      const batch = op1.batches()[0]!;

      expect(batch.auth).toBe('ok');
      expect(batch.headers['content-type']).toMatch(/^application\/json/);
      expect(batch.headers['x-correlator']).toMatch(CORRELATOR);
      expect(batch.body.messengerId).toBe(MESSENGER_ID);
      // O8: nothing travels but what section 4.1 names.
      expect(Object.keys(batch.body).sort()).toEqual(['messengerId', 'requests']);
      expect(Object.keys(item!).sort()).toEqual(
        ['phoneNumber', 'possessionVerifiedAt', 'reason', 'requestId', 'requestedAt', 'userCode'].sort(),
      );
      const { requestId, userCode, phoneNumber, reason, possessionVerifiedAt, requestedAt } = item as RequestItem;
      expect(requestId).toMatch(IDENTIFIER);
      expect(phoneNumber).toBe('+79001110001');
      expect(reason).toBe('registration');
      expect(ms(requestedAt)).toBe(t.clock.now());
      expect(ms(possessionVerifiedAt)).toBe(provedAt);
      expect(ms(possessionVerifiedAt)).toBeLessThanOrEqual(ms(requestedAt));
      // The first attempt within 5 s of requestedAt (the shared clock stood still, so it came at once).
      expect(batch.at - ms(requestedAt)).toBeLessThanOrEqual(5 * SECOND);

      // An optional prefix, then at least 128 random bits in base64url.
      expect(userCode).toMatch(IDENTIFIER);
      const random = userCode.replace(/^[A-Za-z0-9]*_(?=[A-Za-z0-9_-]{22})/, '');
      expect(random).toMatch(/^[A-Za-z0-9_-]{22,}$/);
      expect(userCode).not.toContain('9001110001');
      const account = await accountRow(t, reg.body.accountId);
      expect(account.user_code).toBe(userCode);

      // Durably recorded before the send: the row was there when the operator got the batch.
      expect(rowsAtArrival).toEqual([
        expect.objectContaining({
          request_id: requestId,
          requested_at: ms(requestedAt),
          account_id: reg.body.accountId,
        }),
      ]);
    });

    it('gives each account its own user code', async () => {
      const a = await registerAt(w, w.op1, '+79001110002');
      const b = await registerAt(w, w.op1, '+79001110003');
      expect(a.item.userCode).not.toBe(b.item.userCode);
      expect(a.item.requestId).not.toBe(b.item.requestId);
      // Numbers one digit apart give codes with nothing in common past a prefix.
      const tail = (c: string) => c.slice(-20);
      expect(tail(a.item.userCode)).not.toBe(tail(b.item.userCode));
    });

    it('sends requests recorded close together in one batch', async () => {
      await stopWorld(w);
      w = await startWorld(dialect, { SIGNET_IDENTIFICATION_LINGER: '2s' });
      // Only the linger timer sends, as it would between two ticks of the loop.
      await w.t.ctx.identification.stop();
      const numbers = ['+79001120001', '+79001120002', '+79001120003'];
      for (const n of numbers) await w.t.register(n);
      await until(() => w.op1.items().length === 3, 'three requests');
      expect(w.op1.batches()).toHaveLength(1);
      expect(
        w.op1
          .items()
          .map((i) => i.phoneNumber)
          .sort(),
      ).toEqual(numbers);
    });

    it('retries after 503, 429 and a dropped connection with the same webhook-id, body and requestedAt', async () => {
      const { t, op1 } = w;
      op1.answers.push({ status: 503 }, { status: 429, retryAfter: 120 }, 'drop');
      const { reg } = await registerAt(w, op1, '+79001130001');
      expect(op1.batches()).toHaveLength(1);

      // Not again before the backoff (1 s): the clock has not moved.
      await t.ctx.identification.runOnce();
      await settle();
      expect(op1.batches()).toHaveLength(1);

      t.clock.advance(SECOND);
      await t.ctx.identification.runOnce();
      await until(() => op1.batches().length === 2, 'the retry after 503');
      await drain();

      // 429 with Retry-After: 120 s: nothing after 119 s, the retry after 120 s.
      t.clock.advance(119 * SECOND);
      await t.ctx.identification.runOnce();
      await settle();
      expect(op1.batches()).toHaveLength(2);
      t.clock.advance(SECOND);
      await t.ctx.identification.runOnce();
      await until(() => op1.batches().length === 3, 'the retry after Retry-After');
      await drain();

      // The connection was dropped: a network failure is retried too.
      t.clock.advance(30 * SECOND);
      await t.ctx.identification.runOnce();
      await until(() => op1.batches().length === 4, 'the retry after a dropped connection');
      await drain();

      // Accepted now: no more attempts.
      t.clock.advance(5 * MINUTE);
      await t.ctx.identification.runOnce();
      await settle();
      const batches = op1.batches();
      expect(batches).toHaveLength(4);
      for (const b of batches) {
        expect(b.auth).toBe('ok');
        expect(b.headers['webhook-id']).toBe(batches[0]!.headers['webhook-id']);
        expect(b.raw.equals(batches[0]!.raw)).toBe(true);
        expect(b.headers['x-correlator']).toMatch(CORRELATOR);
      }
      // A fresh timestamp each time (the counterpart checks it against the shared clock).
      expect(new Set(batches.map((b) => b.headers['webhook-timestamp'])).size).toBe(4);
      const item = batches[0]!.body.requests[0] as RequestItem;
      const row = await requestRow(t, item.requestId);
      expect(row.requested_at).toBe(ms(item.requestedAt));
      expect(row.deadline_at).toBe(ms(item.requestedAt) + DEADLINE);
      expect((await status(reg.token)).state).toBe('pending');
    });

    it('honours a Retry-After given as an HTTP date', async () => {
      const { t, op1 } = w;
      op1.answers.push({ status: 503, retryAfter: new Date(t.clock.now() + 90 * SECOND).toUTCString() });
      await registerAt(w, op1, '+79001130003');
      await drain();
      t.clock.advance(60 * SECOND);
      await t.ctx.identification.runOnce();
      await settle();
      expect(op1.batches()).toHaveLength(1);
      t.clock.advance(30 * SECOND);
      await t.ctx.identification.runOnce();
      await until(() => op1.batches().length === 2, 'the retry at the date');
    });

    it('holds deadlines and first attempts to 5 s while another operator does not answer', async () => {
      await stopWorld(w);
      w = await startWorld(dialect, { SIGNET_OPERATOR_HTTP_TIMEOUT: '30s' });
      const { t, op1, op2 } = w;
      const a = await registerAt(w, op1, '+79001130004');
      t.clock.set(ms(a.item.requestedAt) + DEADLINE - SECOND);
      op2.answers.push('hang');
      await registerAt(w, op2, '+79011130001');
      // op2 holds its batch; A's deadline passes, and C registers with op1, which answers at once.
      t.clock.set(ms(a.item.requestedAt) + DEADLINE + 1);
      const c = w.t.register('+79001130005');
      const realStart = Date.now();
      await until(async () => (await accountRow(t, a.reg.accountId)).state === 'failed', "A's deadline", 5 * SECOND);
      await c;
      await op1.itemsFor('+79001130005').catch(() => []);
      expect(op1.items().map((i) => i.phoneNumber)).toContain('+79001130005');
      expect(Date.now() - realStart).toBeLessThanOrEqual(5 * SECOND);
      op2.release();
    });

    it('keeps retrying until the deadline, then stops', async () => {
      const { t, op1 } = w;
      for (let i = 0; i < 10; i++) op1.answers.push({ status: 503 });
      const { item } = await registerAt(w, op1, '+79001130002');
      await drain();
      const requestedAt = ms(item.requestedAt);
      t.clock.set(requestedAt + DEADLINE - 10 * SECOND);
      await t.ctx.identification.runOnce();
      await until(() => op1.batches().length === 2, 'a retry shortly before the deadline');
      t.clock.set(requestedAt + DEADLINE + SECOND);
      await t.ctx.identification.runOnce();
      await t.ctx.identification.runOnce();
      await settle();
      expect(op1.batches()).toHaveLength(2);
      expect((await requestRow(t, item.requestId)).failure).toBe('DEADLINE_EXCEEDED');
    });

    it('fails at once with NO_OPERATOR when no configured operator serves the number', async () => {
      const { t, op1, op2 } = w;
      const none = await t.register('+79021110001');
      expect(none.state).toBe('failed');
      expect(await status(none.token)).toMatchObject({ state: 'failed', failure: 'NO_OPERATOR' });
      // The portability table names an operator this messenger has no contract with.
      await t.ctx.db.db
        .insertInto('ported_numbers')
        .values({ phone_number: '+79001110009', operator_id: 'op9', ported_at: null })
        .execute();
      const ported = await t.register('+79001110009');
      expect(ported.state).toBe('failed');
      expect((await status(ported.token)).failure).toBe('NO_OPERATOR');
      await t.ctx.identification.runOnce();
      await settle();
      expect([...op1.items(), ...op2.items()]).toEqual([]);
    });
  });

  describe('4.2 and 4.3 results and the deadline', () => {
    it('identifies the account on a confirmation and tells its connected devices', async () => {
      const { t, op1 } = w;
      const { reg, item } = await registerAt(w, op1, '+79001140001');
      const socket = await TestSocket.open(t.url, reg.token);
      try {
        const res = await postEvent(
          t,
          op1.secret,
          completed('op1', [resultFor(item, 'confirmed', null, t.clock.now())]),
        );
        expect(res.status).toBe(204);
        expect((await accountRow(t, reg.accountId)).state).toBe('identified');
        const s = await status(reg.token);
        expect(s).toMatchObject({ state: 'identified', failure: null, identifiedAt: t.clock.now() });
        expect(s.attempts).toEqual([expect.objectContaining({ requestId: item.requestId, status: 'confirmed' })]);
        await until(() => socket.events('identification.changed').some((e) => e.state === 'identified'), 'the event');
        await expect(t.ctx.identification.gate.assertCanSend(reg.accountId)).resolves.toBeUndefined();
      } finally {
        socket.close();
      }
    });

    it('applies a result that arrives before the 202', async () => {
      const { t, op1 } = w;
      let answer: number | undefined;
      op1.onBatch = async (body) => {
        const res = await postEvent(
          t,
          op1.secret,
          completed(
            'op1',
            body.requests.map((r) => resultFor(r, 'confirmed', null, t.clock.now())),
          ),
        );
        answer = res.status;
      };
      const { reg } = await registerAt(w, op1, '+79001140002');
      await until(() => answer !== undefined, 'the confirmation');
      expect(answer).toBe(204);
      expect((await accountRow(t, reg.accountId)).state).toBe('identified');
      await t.ctx.identification.runOnce();
      expect((await status(reg.token)).state).toBe('identified');
    });

    it('fails the identification at once on a denial, with its reason', async () => {
      const { t, op1 } = w;
      const reasons = ['SUBSCRIBER_NOT_FOUND', 'NUMBER_NOT_SERVED', 'SUBSCRIBER_DATA_MISSING'];
      const regs = [];
      for (const [i] of reasons.entries()) regs.push(await registerAt(w, op1, `+7900115000${i}`));
      const res = await postEvent(
        t,
        op1.secret,
        completed(
          'op1',
          regs.map((r, i) => resultFor(r.item, 'denied', reasons[i]!, t.clock.now())),
        ),
      );
      expect(res.status).toBe(204);
      for (const [i, r] of regs.entries()) {
        const s = await status(r.reg.token);
        expect(s).toMatchObject({ state: 'failed', failure: reasons[i] });
        expect(s.attempts[0]).toMatchObject({ requestId: r.item.requestId, status: 'denied', failure: reasons[i] });
        await expect(t.ctx.identification.gate.assertCanSend(r.reg.accountId)).rejects.toMatchObject({ status: 403 });
      }
    });

    it('fails DEADLINE_EXCEEDED within 5 s of the deadline, from the background loop alone', async () => {
      const { t, op1 } = w;
      const { reg, item } = await registerAt(w, op1, '+79001160001');
      const deadline = ms(item.requestedAt) + DEADLINE;
      t.clock.set(deadline);
      await t.ctx.identification.runOnce();
      expect((await status(reg.token)).state).toBe('pending');
      t.clock.set(deadline + 1);
      const realStart = Date.now();
      // No runOnce: the server's own loop must notice within 5 s.
      await until(async () => (await accountRow(t, reg.accountId)).state === 'failed', 'the deadline', 5 * SECOND);
      expect(Date.now() - realStart).toBeLessThanOrEqual(5 * SECOND);
      expect(await status(reg.token)).toMatchObject({ state: 'failed', failure: 'DEADLINE_EXCEEDED' });
    });

    it('takes a result received at the deadline itself as in time', async () => {
      const { t, op1 } = w;
      const { reg, item } = await registerAt(w, op1, '+79001160002');
      t.clock.set(ms(item.requestedAt) + DEADLINE);
      const res = await postEvent(t, op1.secret, completed('op1', [resultFor(item, 'confirmed', null, t.clock.now())]));
      expect(res.status).toBe(204);
      await t.ctx.identification.runOnce();
      expect((await status(reg.token)).state).toBe('identified');
    });

    it('records a result after the deadline and otherwise ignores it', async () => {
      const { t, op1 } = w;
      const { reg, item } = await registerAt(w, op1, '+79001160003');
      t.clock.set(ms(item.requestedAt) + DEADLINE + SECOND);
      await t.ctx.identification.runOnce();
      expect((await status(reg.token)).failure).toBe('DEADLINE_EXCEEDED');
      t.clock.advance(MINUTE);
      const res = await postEvent(
        t,
        op1.secret,
        completed('op1', [resultFor(item, 'confirmed', null, t.clock.now() - 2 * MINUTE)]),
      );
      expect(res.status).toBe(204);
      expect(await status(reg.token)).toMatchObject({ state: 'failed', failure: 'DEADLINE_EXCEEDED' });
      const row = await requestRow(t, item.requestId);
      expect(row).toMatchObject({
        status: 'failed',
        failure: 'DEADLINE_EXCEEDED',
        late_result: 'confirmed',
        result_received_at: t.clock.now(),
      });
      await expect(t.ctx.identification.gate.assertCanSend(reg.accountId)).rejects.toMatchObject({ status: 403 });
    });

    it('keeps the deadline and the pending retries across a restart', async () => {
      const { op1 } = w;
      op1.answers.push({ status: 503 });
      const { reg, item } = await registerAt(w, op1, '+79001170001');
      w.t = await w.t.restart();
      const { t } = w;
      // The retry survives too, with the same webhook-id and bytes.
      t.clock.advance(SECOND);
      await t.ctx.identification.runOnce();
      await until(() => op1.batches().length === 2, 'the retry after the restart');
      const [first, second] = op1.batches();
      expect(second!.headers['webhook-id']).toBe(first!.headers['webhook-id']);
      expect(second!.raw.equals(first!.raw)).toBe(true);

      t.clock.set(ms(item.requestedAt) + DEADLINE + 1);
      await t.ctx.identification.runOnce();
      expect(await status(reg.token)).toMatchObject({ state: 'failed', failure: 'DEADLINE_EXCEEDED' });
    });

    it('retries after a failure on a fresh SMS code, with a new requestId', async () => {
      const { t, op1 } = w;
      const phone = '+79001180001';
      const session = await t.verifiedSession(phone);
      const reg = await t.request('POST', '/v1/registration', { verificationSessionId: session, deviceName: 'phone' });
      const [item] = await op1.itemsFor(phone);
      await postEvent(
        t,
        op1.secret,
        completed('op1', [resultFor(item!, 'denied', 'SUBSCRIBER_DATA_MISSING', t.clock.now())]),
      );
      const token = reg.body.token as string;
      expect((await status(token)).state).toBe('failed');

      // The registration's session is spent; one never verified is refused.
      const reused = await t.request('POST', '/v1/identification/retry', { verificationSessionId: session }, token);
      expect(reused.status).toBe(410);
      const { sessionId: unverified } = await t.startVerification(phone);
      const early = await t.request('POST', '/v1/identification/retry', { verificationSessionId: unverified }, token);
      expect(early.status).toBe(403);
      await settle();
      expect(op1.items()).toHaveLength(1);

      t.clock.advance(2 * MINUTE);
      const fresh = await t.verifiedSession(phone);
      const provedAt = t.clock.now();
      t.clock.advance(30 * SECOND);
      const retry = await t.request('POST', '/v1/identification/retry', { verificationSessionId: fresh }, token);
      expect(retry.status).toBe(200);
      expect(retry.body.state).toBe('pending');
      const items = await op1.itemsFor(phone, 2);
      const again = items[1]!;
      expect(again.requestId).not.toBe(item!.requestId);
      expect(again.userCode).toBe(item!.userCode);
      expect(ms(again.requestedAt)).toBe(t.clock.now());
      expect(ms(again.possessionVerifiedAt)).toBe(provedAt);
      expect(retry.body.attempts.map((a: { requestId: string }) => a.requestId)).toEqual([
        again.requestId,
        item!.requestId,
      ]);
      await postEvent(t, op1.secret, completed('op1', [resultFor(again, 'confirmed', null, t.clock.now())]));
      expect((await status(token)).state).toBe('identified');
    });
  });

  describe('O7 backfill of existing users', () => {
    const insertUnverified = async (ids: string[], verifiedAt: number | null) => {
      await w.t.ctx.db.db
        .insertInto('accounts')
        .values(
          ids.map((id, i) => ({
            id,
            phone_number: `+7900190000${i}`,
            state: 'unverified' as const,
            user_code: `uc_${id}_AAAAAAAAAAAAAAAAAAAAAA`,
            password_record: null,
            suspended_reason: null,
            created_at: w.t.clock.now() - 100 * MINUTE,
            last_active_at: w.t.clock.now(),
            retired_at: null,
            identification_request_id: null,
            identification_failure: null,
            identified_at: null,
            possession_verified_at: verifiedAt,
          })),
        )
        .execute();
    };

    it('sends existing_user requests for unverified accounts, with their last proof of possession', async () => {
      const { t, op1 } = w;
      const proof = t.clock.now() - 30 * 24 * 60 * MINUTE;
      await insertUnverified(['acc_bf_1', 'acc_bf_2', 'acc_bf_3'], proof);
      const progress = await t.ctx.identification.backfill.run();
      expect(progress).toMatchObject({ total: 3, enqueued: 3 });
      await t.ctx.identification.runOnce();
      await until(() => op1.items().length === 3, 'three backfill requests');
      for (const item of op1.items()) {
        expect(item.reason).toBe('existing_user');
        expect(ms(item.possessionVerifiedAt)).toBe(proof);
        expect(ms(item.requestedAt)).toBe(t.clock.now());
      }
      const states = await t.ctx.db.db.selectFrom('accounts').select('state').where('id', 'like', 'acc_bf_%').execute();
      expect(states.map((s) => s.state)).toEqual(['pending', 'pending', 'pending']);
      const job = await t.ctx.db.db.selectFrom('backfill_jobs').selectAll().executeTakeFirstOrThrow();
      expect(job).toMatchObject({ cursor: 'acc_bf_3', enqueued: 3, finished_at: t.clock.now() });
    });

    it('resumes an interrupted job after its cursor', async () => {
      const { t, op1 } = w;
      await insertUnverified(['acc_bf_1', 'acc_bf_2', 'acc_bf_3', 'acc_bf_4'], null);
      // A run that stopped after enqueueing the first two (left unverified here so that only the cursor skips them).
      await t.ctx.db.db
        .insertInto('backfill_jobs')
        .values({
          id: 'bf_crashed',
          cursor: 'acc_bf_2',
          total: 4,
          enqueued: 2,
          started_at: t.clock.now() - MINUTE,
          finished_at: null,
        })
        .execute();
      const progress = await t.ctx.identification.backfill.run();
      expect(progress).toMatchObject({ jobId: 'bf_crashed', enqueued: 4 });
      await t.ctx.identification.runOnce();
      await until(() => op1.items().length === 2, 'the rest of the job');
      await settle();
      expect(
        op1
          .items()
          .map((i) => i.phoneNumber)
          .sort(),
      ).toEqual(['+79001900002', '+79001900003']);
      // Without a proof on record, the account's creation stands for it, never a time after the request.
      for (const item of op1.items()) expect(ms(item.possessionVerifiedAt)).toBeLessThanOrEqual(ms(item.requestedAt));
      expect(
        await t.ctx.db.db
          .selectFrom('backfill_jobs')
          .select('finished_at')
          .where('id', '=', 'bf_crashed')
          .executeTakeFirst(),
      ).toEqual({
        finished_at: t.clock.now(),
      });
    });
  });
});
