import { MINUTE, SECOND, testDialects } from '@signet/common';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  accountRow,
  CORRELATOR,
  completed,
  IDENTIFIER,
  identify,
  MESSENGER_ID,
  postEvent,
  registerAt,
  requestRow,
  resultFor,
  settle,
  startWorld,
  stopWorld,
  terminated,
  until,
  type World,
} from './operator-counterpart';
import { TestSocket } from './ws-client';

/*
 * Conformance of the messenger side after identification: contract-termination notices and
 * re-identification (spec 4.4), reconciliation (4.5) and polling for results whose event was lost (4.2),
 * against the independent counterpart operator.
 */

describe.each(testDialects())(
  'operator identification, messenger side: termination, reconciliation, polling (%s)',
  (dialect) => {
    let w: World;
    beforeEach(async () => {
      w = await startWorld(dialect);
    });
    afterEach(async () => {
      await stopWorld(w);
    });

    const status = async (token: string) => (await w.t.request('GET', '/v1/identification', undefined, token)).body;
    const notice = (
      phoneNumber: string,
      userCodes: string[],
      reason = 'contract_terminated',
      noticeId = `ctn_${phoneNumber.slice(1)}`,
    ) => ({
      noticeId,
      phoneNumber,
      userCodes,
      reason,
      terminatedAt: new Date(w.t.clock.now()).toISOString(),
    });

    describe('4.4 contract-termination notices', () => {
      it('suspends the named account before answering 204, and shuts it out of sending and receiving', async () => {
        const { t, op1 } = w;
        const { reg, item } = await identify(w, op1, '+79001310001');
        const other = await identify(w, op1, '+79001310002');
        const socket = await TestSocket.open(t.url, reg.token);
        try {
          t.clock.advance(MINUTE);
          const res = await postEvent(
            t,
            op1.secret,
            terminated('op1', [notice(item.phoneNumber, [item.userCode], 'ported_out')]),
          );
          expect(res.status).toBe(204);
          // Nothing asynchronous may be left: the state is in the database when the 204 is out.
          expect(await accountRow(t, reg.accountId)).toMatchObject({
            state: 'suspended',
            suspended_reason: 'ported_out',
          });
          await expect(t.ctx.identification.gate.assertCanSend(reg.accountId)).rejects.toMatchObject({ status: 403 });
          await expect(t.ctx.identification.gate.assertCanReceive([reg.accountId])).rejects.toMatchObject({
            status: 403,
          });
          // Only the named user.
          await expect(t.ctx.identification.gate.assertCanSend(other.reg.accountId)).resolves.toBeUndefined();
          expect(await status(reg.token)).toMatchObject({ state: 'suspended', suspendedReason: 'ported_out' });
          await until(() => socket.events('identification.changed').some((e) => e.state === 'suspended'), 'the event');
          const recorded = await t.ctx.db.db.selectFrom('termination_notices').selectAll().execute();
          expect(recorded).toEqual([
            expect.objectContaining({
              operator_id: 'op1',
              notice_id: `ctn_${item.phoneNumber.slice(1)}`,
              accounts_suspended: 1,
            }),
          ]);
        } finally {
          socket.close();
        }
      });

      it('records a notice that names no user it knows, and answers 204', async () => {
        const { t, op1 } = w;
        const { reg, item } = await identify(w, op1, '+79001320001');
        const res = await postEvent(
          t,
          op1.secret,
          terminated('op1', [notice(item.phoneNumber, ['uc_not_ours_AAAAAAAAAAAAAAAAAAAAAA'], 'number_reassigned')]),
        );
        expect(res.status).toBe(204);
        const [row] = await t.ctx.db.db.selectFrom('termination_notices').selectAll().execute();
        expect(row).toMatchObject({
          operator_id: 'op1',
          phone_number: item.phoneNumber,
          reason: 'number_reassigned',
          accounts_suspended: 0,
        });
        expect(JSON.parse(row!.user_codes)).toEqual(['uc_not_ours_AAAAAAAAAAAAAAAAAAAAAA']);
        // The notice names codes, not numbers: the account on that number is someone else's code.
        expect((await accountRow(t, reg.accountId)).state).toBe('identified');
      });

      it('re-identifies on a fresh SMS code with reason reidentification, at the operator serving the number now', async () => {
        const { t, op1, op2 } = w;
        const phone = '+79001330001';
        const { reg, item } = await identify(w, op1, phone);
        t.clock.advance(MINUTE);
        await postEvent(t, op1.secret, terminated('op1', [notice(phone, [item.userCode], 'ported_out')]));
        // The number moved to op2.
        await t.ctx.db.db
          .insertInto('ported_numbers')
          .values({ phone_number: phone, operator_id: 'op2', ported_at: t.clock.now() })
          .execute();

        const { sessionId: unverified } = await t.startVerification(phone);
        const refused = await t.request(
          'POST',
          '/v1/identification/retry',
          { verificationSessionId: unverified },
          reg.token,
        );
        expect(refused.status).toBe(403);
        expect((await accountRow(t, reg.accountId)).state).toBe('suspended');

        t.clock.advance(2 * MINUTE);
        const fresh = await t.verifiedSession(phone);
        const retry = await t.request('POST', '/v1/identification/retry', { verificationSessionId: fresh }, reg.token);
        expect(retry.status).toBe(200);
        expect(retry.body.state).toBe('pending');
        const [again] = await op2.itemsFor(phone);
        expect(again).toMatchObject({ reason: 'reidentification', userCode: item.userCode, phoneNumber: phone });
        expect(again!.requestId).not.toBe(item.requestId);
        expect(op2.batches()[0]!.auth).toBe('ok');
        await settle();
        expect(op1.items()).toHaveLength(1);
        // Still shut out until the new operator confirms.
        await expect(t.ctx.identification.gate.assertCanSend(reg.accountId)).rejects.toMatchObject({ status: 403 });
        expect(
          (await postEvent(t, op2.secret, completed('op2', [resultFor(again!, 'confirmed', null, t.clock.now())])))
            .status,
        ).toBe(204);
        expect((await accountRow(t, reg.accountId)).state).toBe('identified');
        await expect(t.ctx.identification.gate.assertCanSend(reg.accountId)).resolves.toBeUndefined();
      });

      it('asks for the second factor too when the suspended user set one', async () => {
        const { t, op1 } = w;
        const phone = '+79001340001';
        const { reg, item } = await identify(w, op1, phone);
        await t.setPassword(reg.token, 'correct horse');
        await postEvent(t, op1.secret, terminated('op1', [notice(phone, [item.userCode])]));
        const bare = await t.request(
          'POST',
          '/v1/identification/retry',
          { verificationSessionId: await t.verifiedSession(phone) },
          reg.token,
        );
        expect(bare.status).toBe(423);
        const session = await t.verifiedSession(phone);
        const proof = await t.passwordProof(session, 'correct horse');
        const retry = await t.request(
          'POST',
          '/v1/identification/retry',
          { verificationSessionId: session, password: proof },
          reg.token,
        );
        expect(retry.status).toBe(200);
        const items = await op1.itemsFor(phone, 2);
        expect(items[1]).toMatchObject({ reason: 'reidentification', userCode: item.userCode });
      });

      it('gives a new person on the suspended number a new account and a new code; the old one is retired', async () => {
        const { t, op1 } = w;
        const phone = '+79001350001';
        const old = await identify(w, op1, phone);
        const oldSocket = await TestSocket.open(t.url, old.reg.token);
        try {
          await postEvent(t, op1.secret, terminated('op1', [notice(phone, [old.item.userCode], 'number_reassigned')]));
          const { reg, item } = await registerAt(w, op1, phone);
          expect(reg.outcome).toBe('replaced');
          expect(reg.accountId).not.toBe(old.reg.accountId);
          expect(item.reason).toBe('registration');
          expect(item.userCode).not.toBe(old.item.userCode);
          expect(item.userCode).toMatch(IDENTIFIER);
          expect(await accountRow(t, old.reg.accountId)).toMatchObject({ state: 'retired', retired_at: t.clock.now() });
          expect((await t.request('GET', '/v1/identification', undefined, old.reg.token)).status).toBe(401);
          await oldSocket.waitForEvents('account.retired');
        } finally {
          oldSocket.close();
        }
      });

      it('lets a new person past the password of a suspended number, into a new account, when they ask for one', async () => {
        const { t, op1 } = w;
        const phone = '+79001360001';
        const old = await identify(w, op1, phone);
        await t.setPassword(old.reg.token, 'only the old owner knows');
        await postEvent(t, op1.secret, terminated('op1', [notice(phone, [old.item.userCode], 'number_reassigned')]));
        const session = await t.verifiedSession(phone);
        const asked = await t.request('POST', '/v1/registration', {
          verificationSessionId: session,
          deviceName: 'new phone',
        });
        expect(asked.status).toBe(423);
        expect(asked.body.details).toMatchObject({ newAccountAllowed: true });
        const fresh = await t.request('POST', '/v1/registration', {
          verificationSessionId: session,
          deviceName: 'new phone',
          newAccount: true,
        });
        expect(fresh.status).toBe(200);
        expect(fresh.body.outcome).toBe('replaced');
        expect((await accountRow(t, old.reg.accountId)).state).toBe('retired');
        const items = await op1.itemsFor(phone, 2);
        expect(items[1]).toMatchObject({ reason: 'registration' });
        expect(items[1]!.userCode).not.toBe(old.item.userCode);
      });
    });

    describe('4.5 reconciliation', () => {
      it('pages through signed GETs of registrations and suspends an account whose notice was missed', async () => {
        const { t, op1, op2 } = w;
        const a = await identify(w, op1, '+79001410001');
        const b = await identify(w, op1, '+79001410002');
        t.clock.advance(MINUTE);
        const changedAt = new Date(t.clock.now()).toISOString();
        op1.registrationPages.set('', {
          registrations: [{ userCode: b.item.userCode, phoneNumber: b.item.phoneNumber, status: 'active', changedAt }],
          nextCursor: 'page-2',
        });
        op1.registrationPages.set('page-2', {
          registrations: [
            { userCode: a.item.userCode, phoneNumber: a.item.phoneNumber, status: 'terminated', changedAt },
          ],
          nextCursor: null,
        });
        const before = op1.gets('/v1/registrations').length;
        const summary = await t.ctx.identification.reconciler.reconcileAll();
        expect(summary).toEqual(
          expect.arrayContaining([expect.objectContaining({ operatorId: 'op1', registrations: 2, suspended: 1 })]),
        );
        expect(summary.every((s) => s.error === undefined)).toBe(true);
        expect((await accountRow(t, a.reg.accountId)).state).toBe('suspended');
        expect((await accountRow(t, b.reg.accountId)).state).toBe('identified');
        await expect(t.ctx.identification.gate.assertCanSend(a.reg.accountId)).rejects.toMatchObject({ status: 403 });

        const gets = op1.gets('/v1/registrations').slice(before);
        expect(gets).toHaveLength(2);
        for (const g of gets) {
          // The counterpart verified each signature over `GET <target as sent>`, with the shared clock.
          expect(g.auth).toBe('ok');
          expect(g.raw.length).toBe(0);
          expect(g.headers['x-correlator']).toMatch(CORRELATOR);
          const q = new URL(g.target, 'http://x').searchParams;
          expect(q.get('messengerId')).toBe(MESSENGER_ID);
          const limit = q.get('limit');
          if (limit !== null) expect(Number(limit)).toBeGreaterThanOrEqual(1);
          if (limit !== null) expect(Number(limit)).toBeLessThanOrEqual(1000);
        }
        expect(new URL(gets[0]!.target, 'http://x').searchParams.get('cursor')).toBeNull();
        expect(new URL(gets[1]!.target, 'http://x').searchParams.get('cursor')).toBe('page-2');
        expect(gets[0]!.headers['webhook-id']).not.toBe(gets[1]!.headers['webhook-id']);
        expect(op2.gets('/v1/registrations').length).toBeGreaterThan(0);
        expect(op2.gets('/v1/registrations').every((g) => g.auth === 'ok')).toBe(true);

        // The next run asks only for changes since the newest one seen (inclusive, so nothing is lost).
        await t.ctx.identification.reconciler.reconcileAll();
        const next = op1.gets('/v1/registrations').at(-1)!;
        expect(next.auth).toBe('ok');
        expect(Date.parse(new URL(next.target, 'http://x').searchParams.get('changedSince') ?? '')).toBeLessThanOrEqual(
          Date.parse(changedAt),
        );
      });
    });

    describe('4.2 polling for results whose event never came', () => {
      it('polls an accepted request once pollAfter has passed, with a signed GET, and applies the result', async () => {
        const { t, op1 } = w;
        const { reg, item } = await registerAt(w, op1, '+79001510001');
        const pending = await registerAt(w, op1, '+79001510002');
        op1.results.set(item.requestId, resultFor(item, 'confirmed', null, t.clock.now()));
        const polls = () => op1.gets('/v1/identifications/');

        t.clock.advance(2 * MINUTE - SECOND);
        await t.ctx.identification.runOnce();
        await settle();
        expect(polls()).toEqual([]);

        t.clock.advance(SECOND);
        await t.ctx.identification.runOnce();
        await until(async () => (await accountRow(t, reg.accountId)).state === 'identified', 'the polled result');
        const mine = polls().find((g) => g.target.startsWith(`/v1/identifications/${item.requestId}?`));
        expect(mine?.auth).toBe('ok');
        expect(new URL(mine!.target, 'http://x').searchParams.get('messengerId')).toBe(MESSENGER_ID);
        expect(mine!.headers['x-correlator']).toMatch(CORRELATOR);
        expect((await requestRow(t, item.requestId)).status).toBe('confirmed');

        // Still pending at the operator: the account waits, and the next poll comes later, not at once.
        expect((await accountRow(t, pending.reg.accountId)).state).toBe('pending');
        const count = polls().filter((g) => g.target.includes(pending.item.requestId)).length;
        expect(count).toBe(1);
        await t.ctx.identification.runOnce();
        await settle();
        expect(polls().filter((g) => g.target.includes(pending.item.requestId))).toHaveLength(1);
        t.clock.advance(MINUTE);
        await t.ctx.identification.runOnce();
        await until(
          () => polls().filter((g) => g.target.includes(pending.item.requestId)).length === 2,
          'the next poll',
        );
      });
    });
  },
);
