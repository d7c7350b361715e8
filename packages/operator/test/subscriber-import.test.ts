import { testDialects } from '@signet/common';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Harness, item } from './harness';

async function* lines(all: string[]) {
  for (const l of all) yield l;
}

describe.each(testDialects())('subscriber CSV import (%s)', (dialect) => {
  let h: Harness;
  beforeEach(async () => {
    h = await Harness.start(dialect);
  });
  afterEach(async () => {
    await h.close();
  });

  it('imports a large file in batches, reporting progress after each', async () => {
    const rows = Array.from({ length: 2500 }, (_, i) => `+7900${String(i).padStart(7, '0')},active,${i % 2 === 0}`);
    const progress: number[] = [];
    const summary = await h.service.importSubscribers(lines(['\uFEFFphoneNumber,status,identityComplete', ...rows]), {
      batchSize: 1000,
      onProgress: (n) => progress.push(n),
    });
    expect(summary).toMatchObject({ rows: 2500, created: 2500, errorCount: 0 });
    expect(progress).toEqual([1000, 2000, 2500]);
    const count = await h.db
      .selectFrom('subscribers')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirst();
    expect(Number(count?.n)).toBe(2500);
  });

  it('accepts the columns in any order and quoted fields', async () => {
    const summary = await h.service.importSubscribers([
      'identityComplete,"phoneNumber",status',
      'true,"+79001234567",active',
    ]);
    expect(summary).toMatchObject({ created: 1, errorCount: 0 });
  });

  it('refuses a file without the header', async () => {
    const summary = await h.service.importSubscribers(['+79001234567,active,true']);
    expect(summary.created).toBe(0);
    expect(summary.errors[0]).toMatchObject({ line: 1 });
  });

  it('updates existing subscribers and ends active contracts through the termination path', async () => {
    await h.service.subscribers.add({ phoneNumber: '+79001234567' });
    await h.service.subscribers.add({ phoneNumber: '+79001000002' });
    await h.service.subscribers.add({ phoneNumber: '+79001000003', identityComplete: false });
    await h.identify([item({ userCode: 'uc_holder' })]);
    await h.runDue();
    const summary = await h.service.importSubscribers([
      'phoneNumber,status,identityComplete',
      '+79001234567,ported_out,true',
      '+79001000002,active,true',
      '+79001000003,active,true',
    ]);
    expect(summary).toMatchObject({ ended: 1, updated: 1, unchanged: 1, noticesQueued: 1 });
    await h.runDue();
    const notice = h.m1.events.find((e) => e.body.type === 'subscriber.contract_terminated');
    expect(notice?.body.notices[0]).toMatchObject({ userCodes: ['uc_holder'], reason: 'ported_out' });
  });
});
