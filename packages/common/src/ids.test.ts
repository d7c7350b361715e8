import { describe, expect, it } from 'vitest';
import { sortableId } from './ids';

describe('sortableId', () => {
  it('sorts by its time, and is an identifier of the protocol', () => {
    const times = [0, 1, 31, 32, 1_700_000_000_000, 1_700_000_000_001, 2 ** 48 - 1];
    const ids = times.map((t) => sortableId('idr', t));
    expect([...ids].sort()).toEqual(ids);
    for (const id of ids) expect(id).toMatch(/^idr_[0-9A-HJKMNP-TV-Z]{10}[A-Za-z0-9_-]{22}$/);
  });

  it('differs for the same time', () => {
    expect(sortableId('idr', 5)).not.toBe(sortableId('idr', 5));
  });
});
