import {
  createTestDatabase,
  DAY,
  Database,
  ManualClock,
  silentLogger,
  type TestDatabase,
  testDialects,
} from '@signet/common';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { recordAccountEvents } from '../src/accounts/account-store';
import { AccountEventRetention } from '../src/accounts/event-retention';
import { buildConfig } from '../src/config/config';
import { ConfigError } from '../src/config/reader';
import { migrations, type Schema } from '../src/db';
import { Janitor } from '../src/janitor';
import { TestServer } from './harness';

describe('SIGNET_ACCOUNT_EVENT_RETENTION_DAYS', () => {
  const base = { SIGNET_ENV: 'development' };
  it('defaults to a year, allows zero, and refuses anything but a whole number of days', () => {
    expect(buildConfig(base).retention.accountEventDays).toBe(365);
    expect(buildConfig({ ...base, SIGNET_ACCOUNT_EVENT_RETENTION_DAYS: '0' }).retention.accountEventDays).toBe(0);
    expect(buildConfig({ ...base, SIGNET_ACCOUNT_EVENT_RETENTION_DAYS: '30' }).retention.accountEventDays).toBe(30);
    for (const bad of ['-1', '1.5', '30d', 'forever']) {
      expect(() => buildConfig({ ...base, SIGNET_ACCOUNT_EVENT_RETENTION_DAYS: bad })).toThrow(ConfigError);
      expect(() => buildConfig({ ...base, SIGNET_ACCOUNT_EVENT_RETENTION_DAYS: bad })).toThrow(
        /SIGNET_ACCOUNT_EVENT_RETENTION_DAYS/,
      );
    }
  });
});

describe.each(testDialects())('account event retention (%s)', (dialect) => {
  let database: TestDatabase;
  let db: Database<Schema>;
  let clock: ManualClock;
  beforeEach(async () => {
    database = await createTestDatabase(dialect);
    db = Database.open<Schema>(database.options);
    await db.migrate(migrations);
    clock = new ManualClock();
  });
  afterEach(async () => {
    await db.close();
    await database.drop();
  });

  const retention = (days: number) => new AccountEventRetention(db, clock, days, silentLogger());
  const event = (ageMs: number, type = 'test.event') => ({
    account_id: 'acc_1',
    type,
    at: clock.now() - ageMs,
    address: '192.0.2.1',
  });
  const left = async () =>
    (await db.db.selectFrom('account_events').select('type').orderBy('at').execute()).map((e) => e.type);

  it('deletes events older than the period and keeps the rest', async () => {
    await recordAccountEvents(db.db, [
      event(400 * DAY, 'ancient'),
      event(30 * DAY + 1, 'just-too-old'),
      event(30 * DAY, 'exactly-thirty-days'),
      event(DAY, 'yesterday'),
      event(0, 'now'),
    ]);
    await db.db
      .insertInto('identification_requests')
      .values({
        request_id: 'idr_1',
        account_id: 'acc_1',
        operator_id: 'op1',
        user_code: 'uc_1',
        phone_number: '+79001234567',
        reason: 'registration',
        possession_verified_at: 0,
        requested_at: 0,
        deadline_at: 0,
        status: 'confirmed',
        failure: null,
        batch_id: null,
        accepted_at: null,
        decided_at: null,
        result_received_at: null,
        late_result: null,
        next_poll_at: null,
      })
      .execute();
    expect(await retention(30).sweep()).toBe(2);
    expect(await left()).toEqual(['exactly-thirty-days', 'yesterday', 'now']);
    // Nothing else is touched.
    expect(await db.db.selectFrom('identification_requests').selectAll().execute()).toHaveLength(1);
    // As time passes, the rest ages out too.
    clock.advance(DAY + 1);
    expect(await retention(30).sweep()).toBe(1);
    expect(await left()).toEqual(['yesterday', 'now']);
  });

  it('keeps none with a period of zero', async () => {
    await recordAccountEvents(db.db, [event(DAY), event(1), event(0)]);
    expect(await retention(0).sweep()).toBe(3);
    expect(await left()).toEqual([]);
  });

  it('deletes a large backlog in chunks', async () => {
    await recordAccountEvents(
      db.db,
      Array.from({ length: 11_000 }, (_, i) => event(2 * DAY + i)),
    );
    await recordAccountEvents(db.db, [event(0, 'kept')]);
    expect(await retention(1).sweep()).toBe(11_000);
    expect(await left()).toEqual(['kept']);
  });
});

describe('account event retention in the running server', () => {
  let t: TestServer;
  afterEach(async () => {
    await t?.close();
  });

  it('lets the janitor delete the events of a registration once the period is over', async () => {
    t = await TestServer.start('sqlite', { env: { SIGNET_ACCOUNT_EVENT_RETENTION_DAYS: '7' } });
    const reg = await t.register('+79001234567');
    const events = () =>
      t.ctx.db.db.selectFrom('account_events').selectAll().where('account_id', '=', reg.accountId).execute();
    const recorded = await events();
    expect(recorded.map((e) => e.type)).toEqual(['account.registered', 'identification.failed']);
    expect(recorded[0]).toMatchObject({ address: '127.0.0.1' });
    const janitor = new Janitor(t.ctx);
    t.clock.advance(7 * DAY);
    await janitor.runOnce();
    expect(await events()).toHaveLength(2);
    t.clock.advance(1);
    await janitor.runOnce();
    expect(await events()).toEqual([]);
    // The account itself is not an event: it stays.
    expect((await t.request('GET', '/v1/account', undefined, reg.token)).status).toBe(200);
  });
});
