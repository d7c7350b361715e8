/**
 * Both real services over HTTP on loopback: the messenger and two reference operators, sharing one
 * manual clock so that the 20-minute deadline can pass without waiting.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createTestDatabase,
  Database,
  MINUTE,
  newSecret,
  silentLogger,
  type TestDatabase,
  testDialects,
} from '@signet/common';
import { buildOperatorConfig, createOperator, type OperatorSchema, type OperatorService } from '@signet/operator';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TestServer } from '../../packages/server/test/harness';

const MESSENGER_ID = 'signet-e2e';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

async function eventually<T>(
  probe: () => Promise<T>,
  accept: (v: NoInfer<T>) => boolean,
  timeoutMs = 15_000,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  let last = await probe();
  while (!accept(last)) {
    if (Date.now() > until) throw new Error(`timed out; last value: ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 50));
    last = await probe();
  }
  return last;
}

describe.each(testDialects())('identification end to end over HTTP (%s)', (dialect) => {
  let t: TestServer;
  const operators: OperatorService[] = [];
  const databases: TestDatabase[] = [];

  async function startOperator(id: string, port: number, secret: string): Promise<OperatorService> {
    const database = await createTestDatabase(dialect);
    databases.push(database);
    const config = buildOperatorConfig(
      {
        SIGNET_OPERATOR_ID: id,
        SIGNET_OPERATOR_PORT: String(port),
        SIGNET_OPERATOR_DATA_DIR: mkdtempSync(join(tmpdir(), 'signet-op-')),
        SIGNET_OPERATOR_WORKER_INTERVAL: '50ms',
        SIGNET_OPERATOR_EVENT_LINGER: '0ms',
        SIGNET_OPERATOR_SILENT_NUMBERS: '+79001000007',
      },
      { messengers: [{ messengerId: MESSENGER_ID, eventsUrl: `${t.url}/operator/v1/events`, secrets: [secret] }] },
    );
    const service = await createOperator(config, {
      clock: t.clock,
      db: Database.open<OperatorSchema>(database.options),
      logger: silentLogger(),
    });
    await service.listen();
    operators.push(service);
    return service;
  }

  let opA: OperatorService;
  let opB: OperatorService;

  beforeEach(async () => {
    const [portA, portB] = [await freePort(), await freePort()];
    const [secretA, secretB] = [newSecret(randomBytes(32)), newSecret(randomBytes(32))];
    t = await TestServer.start(dialect, {
      env: {
        SIGNET_MESSENGER_ID: MESSENGER_ID,
        SIGNET_IDENTIFICATION_LINGER: '10ms',
        SIGNET_OPERATORS: JSON.stringify([
          { id: 'op-a', name: 'Operator A', baseUrl: `http://127.0.0.1:${portA}`, secrets: [secretA] },
          { id: 'op-b', name: 'Operator B', baseUrl: `http://127.0.0.1:${portB}`, secrets: [secretB] },
        ]),
      },
    });
    await t.ctx.db.db.insertInto('number_prefixes').values({ prefix: '+7900', operator_id: 'op-a' }).execute();
    opA = await startOperator('op-a', portA, secretA);
    opB = await startOperator('op-b', portB, secretB);
    await opA.subscribers.add({ phoneNumber: '+79001000001', identityComplete: true });
    await opA.subscribers.add({ phoneNumber: '+79001000003', identityComplete: false });
    await opA.subscribers.add({ phoneNumber: '+79001000010', identityComplete: true });
    await opB.subscribers.add({ phoneNumber: '+79001000010', identityComplete: true });
  });

  afterEach(async () => {
    for (const op of operators.splice(0)) await op.close();
    await t.close();
    for (const d of databases.splice(0)) await d.drop();
  });

  const status = (token: string) => async (): Promise<any> =>
    (await t.request('GET', '/v1/identification', undefined, token)).body;
  const isState = (state: string) => (s: { state: string }) => s.state === state;

  async function retry(phone: string, token: string) {
    t.clock.advance(1000);
    const { sessionId, code } = await t.startVerification(phone);
    expect((await t.request('POST', `/v1/verification/sessions/${sessionId}/verify`, { code })).status).toBe(200);
    const res = await t.request('POST', '/v1/identification/retry', { verificationSessionId: sessionId }, token);
    expect(res.status).toBe(200);
    return res.body;
  }

  it('confirms, denies, fails without an operator, and fails at the deadline', async () => {
    const ok = await t.register('+79001000001');
    const denied = await t.register('+79001000003');
    const unserved = await t.register('+79991234567');
    const silent = await t.register('+79001000007');

    const confirmed = await eventually(status(ok.token), isState('identified'));
    expect(confirmed.attempts[0]).toMatchObject({ operatorId: 'op-a', status: 'confirmed', reason: 'registration' });
    const deniedStatus = await eventually(status(denied.token), isState('failed'));
    expect(deniedStatus.failure).toBe('SUBSCRIBER_DATA_MISSING');
    expect(unserved.state).toBe('failed');
    expect((await status(unserved.token)()).failure).toBe('NO_OPERATOR');

    // The operator accepted the silent number's request but never answers.
    await eventually(
      () =>
        t.ctx.db.db
          .selectFrom('identification_requests')
          .select('accepted_at')
          .where('account_id', '=', silent.accountId)
          .executeTakeFirstOrThrow(),
      (r) => r.accepted_at !== null,
    );
    expect((await status(silent.token)()).state).toBe('pending');
    t.clock.advance(20 * MINUTE + 1000);
    await t.ctx.identification.runOnce();
    const late = await status(silent.token)();
    expect(late).toMatchObject({ state: 'failed', failure: 'DEADLINE_EXCEEDED' });
  });

  it('suspends on a termination notice and re-identifies after a new contract', async () => {
    const user = await t.register('+79001000001');
    await eventually(status(user.token), isState('identified'));

    await opA.subscribers.terminate('+79001000001');
    const suspended = await eventually(status(user.token), isState('suspended'));
    expect(suspended.suspendedReason).toBe('contract_terminated');
    await expect(t.ctx.identification.gate.assertCanSend(user.accountId)).rejects.toThrow(/not identified/);

    await opA.subscribers.add({ phoneNumber: '+79001000001', identityComplete: true });
    await retry('+79001000001', user.token);
    const back = await eventually(status(user.token), isState('identified'));
    expect(back.attempts[0]).toMatchObject({ reason: 'reidentification', operatorId: 'op-a', status: 'confirmed' });
    const report = await opA.report();
    expect(report.notices.delivered).toBe(1);
    expect(report.notices.withinLimit).toBe(1);
  });

  it('re-identifies a ported number with its new operator', async () => {
    const user = await t.register('+79001000010');
    await eventually(status(user.token), isState('identified'));

    await opA.subscribers.portOut('+79001000010');
    const suspended = await eventually(status(user.token), isState('suspended'));
    expect(suspended.suspendedReason).toBe('ported_out');

    await t.ctx.db.db
      .insertInto('ported_numbers')
      .values({ phone_number: '+79001000010', operator_id: 'op-b', ported_at: t.clock.now() })
      .execute();
    await retry('+79001000010', user.token);
    const back = await eventually(status(user.token), isState('identified'));
    expect(back.attempts[0]).toMatchObject({ reason: 'reidentification', operatorId: 'op-b', status: 'confirmed' });
  });
});
