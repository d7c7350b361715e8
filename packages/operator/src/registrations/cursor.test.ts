import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor } from './cursor';

describe('reconciliation cursors', () => {
  const key = randomBytes(32);
  const at = { changedAt: 1_795_946_400_000, userCode: 'uc_X', phoneNumber: '+79001234567' };

  it('round-trips a position for the messenger it was issued to', () => {
    const cursor = encodeCursor(key, 'm1', at);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(decodeCursor(key, 'm1', cursor)).toEqual(at);
  });

  it('refuses cursors of another messenger, another key, or altered', () => {
    const cursor = encodeCursor(key, 'm1', at);
    expect(decodeCursor(key, 'm2', cursor)).toBeUndefined();
    expect(decodeCursor(randomBytes(32), 'm1', cursor)).toBeUndefined();
    expect(decodeCursor(key, 'm1', `${cursor}x`)).toBeUndefined();
    expect(decodeCursor(key, 'm1', 'abc')).toBeUndefined();
    expect(decodeCursor(key, 'm1', '')).toBeUndefined();
  });
});
