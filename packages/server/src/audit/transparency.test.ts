import { describe, expect, it } from 'vitest';
import { parsePeriod } from './transparency';

describe('report periods', () => {
  it('takes days in UTC, the last day included, or instants, the end excluded', () => {
    expect(parsePeriod('2026-01-01', '2026-03-31')).toEqual({
      from: Date.parse('2026-01-01T00:00:00Z'),
      to: Date.parse('2026-04-01T00:00:00Z'),
    });
    expect(parsePeriod('2026-01-01', '2026-01-01').to - parsePeriod('2026-01-01', '2026-01-01').from).toBe(86_400_000);
    expect(parsePeriod('2026-01-01T06:00:00Z', '2026-01-01T18:00:00+03:00')).toEqual({
      from: Date.parse('2026-01-01T06:00:00Z'),
      to: Date.parse('2026-01-01T15:00:00Z'),
    });
  });

  it('refuses what is not a date, and an empty period', () => {
    expect(() => parsePeriod('2026-02-30', '2026-03-01')).toThrow('--from 2026-02-30 is not a date');
    expect(() => parsePeriod('yesterday', '2026-03-01')).toThrow(/--from yesterday: expected a date/);
    expect(() => parsePeriod('2026-01-01', '01/02/2026')).toThrow(/--to/);
    expect(() => parsePeriod('2026-03-01', '2026-02-01')).toThrow(/the period is empty/);
  });
});
