import { describe, expect, it } from 'vitest';
import { canonicalJson, entryHash } from './chain';

describe('canonical JSON', () => {
  it('sorts keys at every level, keeps array order and leaves out undefined members', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { f: 1, e: 2 }], c: null }, u: undefined })).toBe(
      '{"a":{"c":null,"d":[3,{"e":2,"f":1}]},"b":1}',
    );
    expect(canonicalJson({ b: 1, a: 2 })).toBe(canonicalJson({ a: 2, b: 1 }));
    expect(canonicalJson('x"y')).toBe('"x\\"y"');
  });

  it('refuses numbers JSON cannot carry', () => {
    expect(() => canonicalJson({ n: Number.NaN })).toThrow();
  });
});

describe('entry hash', () => {
  const entry = {
    seq: 1,
    at: 1,
    actor_type: 'system' as const,
    actor_id: null,
    kind: 'k',
    subject: null,
    payload: '{}',
    prev_hash: '0'.repeat(64),
  };

  it('changes with every field', () => {
    const base = entryHash(entry);
    const changed = [
      { seq: 2 },
      { at: 2 },
      { actor_type: 'operator' as const },
      { actor_id: 'x' },
      { kind: 'l' },
      { subject: 's' },
      { payload: '{"a":1}' },
      { prev_hash: '1'.repeat(64) },
    ];
    for (const c of changed) expect(entryHash({ ...entry, ...c }), JSON.stringify(c)).not.toBe(base);
    // A null and the text "null" differ.
    expect(entryHash({ ...entry, subject: 'null' })).not.toBe(base);
  });
});
