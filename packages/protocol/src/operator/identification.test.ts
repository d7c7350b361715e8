import { Value } from 'typebox/value';
import { describe, expect, it } from 'vitest';
import { IdentificationResult, isInstant, parseInstant, sameInstant } from './identification';

describe('RFC 3339 instants', () => {
  it('parses offsets, fractions and lower-case separators to the same instant', () => {
    const ms = Date.parse('2026-11-29T10:00:00Z');
    expect(parseInstant('2026-11-29T10:00:00Z')).toEqual({ ms, subMs: '' });
    expect(parseInstant('2026-11-29t13:00:00.000+03:00')).toEqual({ ms, subMs: '' });
    expect(parseInstant('2026-11-29T09:30:00.1234500-00:30')).toEqual({ ms: ms + 123, subMs: '45' });
    expect(parseInstant('0001-01-01T00:00:00Z')?.ms).toBe(new Date('0001-01-01T00:00:00Z').getTime());
  });

  it('refuses dates and times that do not exist, and other notations', () => {
    for (const bad of [
      '2026-02-30T10:00:00Z',
      '2026-13-01T00:00:00Z',
      '2026-11-29T24:00:00Z',
      '2026-11-29T10:60:00Z',
      '2026-11-29T10:00:00',
      '2026-11-29 10:00:00Z',
      '2026-11-29T10:00:00+24:00',
      '1795946400',
    ]) {
      expect(isInstant(bad), bad).toBe(false);
    }
    expect(isInstant('2028-02-29T00:00:00Z')).toBe(true);
  });

  it('compares as instants, down to digits below the millisecond', () => {
    expect(sameInstant('2026-11-29T10:00:00Z', '2026-11-29T10:00:00.000Z')).toBe(true);
    expect(sameInstant('2026-11-29T10:00:00.0001Z', '2026-11-29T10:00:00.0002Z')).toBe(false);
  });
});

describe('identification result schema', () => {
  const base = { requestId: 'r', userCode: 'u', phoneNumber: '+79001234567', decidedAt: '2026-11-29T10:00:00Z' };
  it('takes a confirmation with a null or absent reasonCode and a denial with a reason', () => {
    expect(Value.Check(IdentificationResult, { ...base, result: 'confirmed', reasonCode: null })).toBe(true);
    expect(Value.Check(IdentificationResult, { ...base, result: 'confirmed' })).toBe(true);
    expect(Value.Check(IdentificationResult, { ...base, result: 'denied', reasonCode: 'NUMBER_NOT_SERVED' })).toBe(
      true,
    );
  });
  it('refuses a denial without a reason and a confirmation with one', () => {
    expect(Value.Check(IdentificationResult, { ...base, result: 'denied', reasonCode: null })).toBe(false);
    expect(Value.Check(IdentificationResult, { ...base, result: 'denied' })).toBe(false);
    expect(Value.Check(IdentificationResult, { ...base, result: 'confirmed', reasonCode: 'NUMBER_NOT_SERVED' })).toBe(
      false,
    );
  });
});
