import { testDialects } from '@signet/common';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_SUBSCRIBERS, seedDemoSubscribers } from '../src/demo';
import { Harness, item } from './harness';

describe.each(testDialects())('demo subscribers (%s)', (dialect) => {
  let h: Harness;
  beforeEach(async () => {
    h = await Harness.start(dialect);
  });
  afterEach(async () => {
    await h.close();
  });

  it('gives each demo number the outcome it promises a newcomer, and seeds only once', async () => {
    const first = await seedDemoSubscribers(h.service.subscribers);
    expect(first.added).toHaveLength(DEMO_SUBSCRIBERS.filter((d) => d.status !== null).length);
    expect((await seedDemoSubscribers(h.service.subscribers)).added).toEqual([]);
    for (const d of DEMO_SUBSCRIBERS) expect(d.phoneNumber).toMatch(/^\+7900\d{7}$/);

    const items = DEMO_SUBSCRIBERS.map((d) => item({ phoneNumber: d.phoneNumber }));
    await h.identify(items);
    await h.runDue();
    const results = new Map(h.m1.events.flatMap((e) => e.body.results).map((r: any) => [r.phoneNumber, r]));
    for (const d of DEMO_SUBSCRIBERS) {
      const r: any = results.get(d.phoneNumber);
      const expected = d.outcome.result === 'confirmed' ? { result: 'confirmed', reasonCode: null } : d.outcome;
      expect({ result: r.result, reasonCode: r.reasonCode }, d.phoneNumber).toEqual(expected);
    }
    // Seeding ended no registered contract, so no notice went anywhere.
    expect(h.m1.events.every((e) => e.body.type === 'identification.completed')).toBe(true);
  });
});
