import { MINUTE, sha256Hex, testDialects } from '@signet/common';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { canonicalJson } from '../src/audit/chain';
import { transparencyMarkdown, transparencyReport } from '../src/audit/transparency';
import { createAuthority, legalBasis, signedRequest, type TestAuthority } from './authority-helpers';
import {
  completed,
  identify,
  postEvent,
  registerAt,
  resultFor,
  startWorld,
  stopWorld,
  terminated,
  type World,
} from './operator-counterpart';

const PHONE = '+79001230001';
const DATA_REQUESTS = '/authority/v1/data-requests';

const ANSWER_KEYS = ['accounts', 'legalBasis', 'receivedAt', 'requestId', 'target'];
const ACCOUNT_KEYS = [
  'accountId',
  'createdAt',
  'events',
  'identificationCode',
  'identificationHistory',
  'identifiedAt',
  'operatorId',
  'phoneNumber',
  'retiredAt',
  'state',
];
const HISTORY_KEYS = [
  'decidedAt',
  'failure',
  'identificationCode',
  'operatorId',
  'phoneNumber',
  'possessionVerifiedAt',
  'reason',
  'requestId',
  'requestedAt',
  'status',
];
const EVENT_KEYS = ['address', 'at', 'detail', 'type'];

describe.each(testDialects())('data requests and the transparency report (%s)', (dialect) => {
  let w: World;
  let court: TestAuthority;
  beforeEach(async () => {
    w = await startWorld(dialect);
    court = await createAuthority(w.t, ['data-request'], 'District Court');
  });
  afterEach(async () => {
    await stopWorld(w);
  });

  const ask = (target: Record<string, string>) =>
    signedRequest(w.t, court.signer, 'POST', DATA_REQUESTS, { legalBasis, target });

  /**
   * A number's whole story: identified, a second device added and removed, the contract terminated, the
   * number registered again by its next holder (a new account; the old one retired), who is denied.
   */
  async function history() {
    const { t, op1 } = w;
    const first = await identify(w, op1, PHONE);
    t.clock.advance(MINUTE);
    const second = await t.register(PHONE);
    expect((await t.request('DELETE', `/v1/devices/${second.deviceId}`, undefined, first.reg.token)).status).toBe(204);
    t.clock.advance(MINUTE);
    const notice = await postEvent(
      t,
      op1.secret,
      terminated('op1', [
        {
          noticeId: 'ctn_1',
          phoneNumber: PHONE,
          userCodes: [first.item.userCode],
          reason: 'contract_terminated',
          terminatedAt: new Date(t.clock.now()).toISOString(),
        },
      ]),
    );
    expect(notice.status).toBe(204);
    t.clock.advance(MINUTE);
    const next = await registerAt(w, op1, PHONE);
    expect(next.reg.outcome).toBe('replaced');
    const denied = await postEvent(
      t,
      op1.secret,
      completed('op1', [resultFor(next.item, 'denied', 'SUBSCRIBER_DATA_MISSING', t.clock.now())]),
    );
    expect(denied.status).toBe(204);
    return { old: first, next };
  }

  it('answers with the identification record of every account the number had, and nothing more', async () => {
    const { old, next } = await history();
    const res = await ask({ phoneNumber: PHONE });
    expect(res.status, res.text).toBe(200);
    const answer = res.body;
    expect(Object.keys(answer).sort()).toEqual(ANSWER_KEYS);
    expect(answer.legalBasis).toEqual(legalBasis);
    expect(answer.target).toEqual({ phoneNumber: PHONE });
    expect(answer.accounts.map((a: any) => a.accountId).sort()).toEqual([old.reg.accountId, next.reg.accountId].sort());
    for (const account of answer.accounts) {
      expect(Object.keys(account).sort()).toEqual(ACCOUNT_KEYS);
      for (const h of account.identificationHistory) expect(Object.keys(h).sort()).toEqual(HISTORY_KEYS);
      for (const e of account.events) expect(Object.keys(e).sort()).toEqual(EVENT_KEYS);
    }

    const retired = answer.accounts.find((a: any) => a.accountId === old.reg.accountId);
    expect(retired).toMatchObject({
      phoneNumber: PHONE,
      identificationCode: old.item.userCode,
      operatorId: 'op1',
      state: 'retired',
      retiredAt: expect.any(Number),
      identifiedAt: expect.any(Number),
    });
    expect(retired.identificationHistory).toEqual([
      expect.objectContaining({
        requestId: old.item.requestId,
        reason: 'registration',
        operatorId: 'op1',
        phoneNumber: PHONE,
        identificationCode: old.item.userCode,
        status: 'confirmed',
        failure: null,
        decidedAt: expect.any(Number),
      }),
    ]);
    expect(retired.events.map((e: any) => e.type)).toEqual([
      'account.registered',
      'identification.confirmed',
      'device.added',
      'device.removed',
      'account.suspended',
      'account.retired',
    ]);
    // Sign-ins and device changes carry the client address.
    for (const e of retired.events.filter((e: any) => /^(account\.registered|device\.)/.test(e.type))) {
      expect(e.address, e.type).toBe('127.0.0.1');
    }

    const current = answer.accounts.find((a: any) => a.accountId === next.reg.accountId);
    expect(current).toMatchObject({ state: 'failed', identificationCode: next.item.userCode, retiredAt: null });
    expect(current.identificationHistory).toEqual([
      expect.objectContaining({ status: 'denied', failure: 'SUBSCRIBER_DATA_MISSING' }),
    ]);
    expect(current.events.map((e: any) => e.type)).toEqual(['account.registered', 'identification.failed']);

    // Nothing about devices beyond their ids, and nothing of conversations or secrets.
    const text = JSON.stringify(answer);
    for (const absent of ['test device', 'token', 'password', 'Bearer']) expect(text).not.toContain(absent);

    // By account id: that account only.
    const byId = await ask({ accountId: old.reg.accountId });
    expect(byId.status).toBe(200);
    expect(byId.body.accounts).toEqual([retired]);
    // A number nobody had: an answer with no record.
    expect((await ask({ phoneNumber: '+79001239999' })).body.accounts).toEqual([]);
  });

  it('still answers for a deleted account from what the retention period keeps', async () => {
    const { next } = await history();
    expect((await w.t.request('DELETE', '/v1/account', undefined, next.reg.token)).status).toBe(204);
    const res = await ask({ accountId: next.reg.accountId });
    expect(res.body.accounts).toEqual([
      expect.objectContaining({
        accountId: next.reg.accountId,
        state: 'deleted',
        phoneNumber: PHONE,
        identificationCode: next.item.userCode,
      }),
    ]);
    const events = res.body.accounts[0].events;
    expect(events.at(-1)).toMatchObject({ type: 'account.deleted', address: '127.0.0.1' });
  });

  it('audits and registers every request with its answer, keeping only a digest of the answer', async () => {
    await history();
    const res = await ask({ phoneNumber: PHONE });
    const rows = await w.t.ctx.db.db.selectFrom('data_requests').selectAll().execute();
    expect(rows).toEqual([
      {
        id: res.body.requestId,
        authority_id: court.id,
        legal_reference: legalBasis.reference,
        legal_text: legalBasis.text,
        target_type: 'phone_number',
        target: PHONE,
        received_at: w.t.clock.now(),
        accounts_disclosed: 2,
        answer_digest: sha256Hex(canonicalJson(res.body)),
      },
    ]);
    const entries = await w.t.ctx.db.db
      .selectFrom('audit_log')
      .selectAll()
      .where('subject', '=', res.body.requestId)
      .orderBy('seq')
      .execute();
    expect(entries.map((e) => [e.kind, e.actor_type, e.actor_id])).toEqual([
      ['data_request.received', 'authority', court.id],
      ['data_request.answered', 'system', null],
    ]);
    expect(JSON.parse(entries[0]!.payload)).toMatchObject({ legalBasis, target: { phoneNumber: PHONE } });
    expect(JSON.parse(entries[1]!.payload)).toMatchObject({
      accounts: res.body.accounts.map((a: any) => a.accountId),
      answerDigest: rows[0]!.answer_digest,
    });
    expect(await w.t.ctx.audit.verify()).toMatchObject({ ok: true });
  });

  it('audits identification decisions by batch, naming the requests, and suspensions for missed notices', async () => {
    const { t, op1 } = w;
    const a = await identify(w, op1, '+79001230011');
    const b = await identify(w, op1, '+79001230012');
    const decided = await t.ctx.db.db
      .selectFrom('audit_log')
      .selectAll()
      .where('kind', '=', 'identification.decided')
      .orderBy('seq')
      .execute();
    expect(decided.map((e) => [e.actor_type, e.actor_id, JSON.parse(e.payload)])).toEqual(
      [a, b].map((x) => [
        'operator',
        'op1',
        {
          outcome: 'confirmed',
          reason: null,
          operatorId: 'op1',
          count: 1,
          requests: [{ requestId: x.item.requestId, accountId: x.reg.accountId, operatorId: 'op1' }],
        },
      ]),
    );

    t.clock.advance(MINUTE);
    op1.registrationPages.set('', {
      registrations: [
        {
          userCode: a.item.userCode,
          phoneNumber: a.item.phoneNumber,
          status: 'terminated',
          changedAt: new Date(t.clock.now()).toISOString(),
        },
      ],
      nextCursor: null,
    });
    await t.ctx.identification.reconciler.reconcileAll();
    const suspended = await t.ctx.db.db
      .selectFrom('audit_log')
      .selectAll()
      .where('kind', '=', 'identification.suspended')
      .execute();
    expect(suspended.map((e) => [e.actor_type, e.subject, JSON.parse(e.payload)])).toEqual([
      ['system', 'op1', { operatorId: 'op1', source: 'reconciliation', count: 1, accounts: [a.reg.accountId] }],
    ]);
    const report = await transparencyReport(t.ctx.audit, 0, t.clock.now() + 1, t.clock.now());
    expect(report.terminationNotices.missedNoticeSuspensions).toBe(1);
    expect(report.identification.confirmed).toBe(2);
    expect(await t.ctx.audit.verify()).toMatchObject({ ok: true });
  });

  it('counts what happened in the transparency report, from the audit log', async () => {
    const { t, op2 } = w;
    t.clock.advance(1000);
    const before = t.clock.now();
    await history();
    // Another operator never answers: the deadline fails it. A number no operator serves fails at once.
    await registerAt(w, op2, '+79011230002');
    await t.register('+79021230003');
    t.clock.advance(21 * MINUTE);
    await t.ctx.identification.runOnce();
    await ask({ phoneNumber: PHONE });
    await ask({ phoneNumber: '+79001239999' });
    // Entries of the features still to come are counted by their kind.
    await t.ctx.audit.appendNow([
      { actor: { type: 'authority', id: court.id }, kind: 'restriction.order_applied', payload: {} },
      { actor: { type: 'authority', id: court.id }, kind: 'restriction.order_applied', payload: {} },
      { actor: { type: 'authority', id: court.id }, kind: 'restriction.order_revoked', payload: {} },
      { actor: { type: 'authority', id: court.id }, kind: 'mailing.sent', payload: {} },
    ]);
    const after = t.clock.now() + 1;

    const report = await transparencyReport(t.ctx.audit, before, after, after);
    expect(report.dataRequests).toEqual({
      received: 2,
      answered: 2,
      accountsDisclosed: 2,
      answeredEmpty: 1,
      byAuthority: { 'District Court': 2 },
    });
    expect(report.identification).toEqual({
      confirmed: 1,
      denied: { SUBSCRIBER_DATA_MISSING: 1 },
      failed: { DEADLINE_EXCEEDED: 1, NO_OPERATOR: 1 },
    });
    expect(report.terminationNotices).toEqual({
      received: 1,
      accountsSuspended: 1,
      byOperator: { op1: 1 },
      byReason: { contract_terminated: 1 },
      missedNoticeSuspensions: 0,
    });
    expect(report.restrictionOrders).toMatchObject({
      entries: 3,
      byKind: { 'restriction.order_applied': 2, 'restriction.order_revoked': 1 },
    });
    expect(report.mailings).toEqual({
      entries: 1,
      byKind: { 'mailing.sent': 1 },
      sent: 1,
      withdrawn: 0,
      toAll: 0,
      toPrefixes: 0,
      recipients: 0,
      byAuthority: { [court.id]: 1 },
    });
    // The authority was created before the period began.
    expect(report.authorities).toEqual({ created: 0, disabled: 0, refusedRequests: 0 });

    const markdown = transparencyMarkdown(report);
    for (const heading of [
      '## Data requests',
      '## Identification outcomes',
      '## Restriction orders',
      '## Mass mailings',
    ]) {
      expect(markdown).toContain(heading);
    }
    expect(markdown).toContain('| Denied: SUBSCRIBER_DATA_MISSING | 1 |');
    expect(markdown).toContain('| Failed: DEADLINE_EXCEEDED | 1 |');

    // A period before all this counts nothing of it.
    const empty = await transparencyReport(t.ctx.audit, before - 10 * MINUTE, before, after);
    expect(empty.identification).toEqual({ confirmed: 0, denied: {}, failed: {} });
    expect(empty.authorities.created).toBe(1);
  });
});
