import { testDialects } from '@signet/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aliasKey, OperatorDirectory } from './directory';
import { type DirectoryFixture, OPERATORS, openDirectory } from './test-support';

describe('aliasKey', () => {
  it('ignores case, spacing and the kind of quotes', () => {
    const key = aliasKey('ПАО "Мобильные ТелеСистемы"');
    expect(aliasKey('  пао «Мобильные   ТелеСистемы» ')).toBe(key);
    expect(aliasKey('ПАО “Мобильные ТелеСистемы”')).toBe(key);
    expect(aliasKey('ПАО Мобильные ТелеСистемы')).toBe(key);
  });
});

describe.each(testDialects())('OperatorDirectory on %s', (dialect) => {
  let f: DirectoryFixture;

  beforeAll(async () => {
    f = await openDirectory(dialect, [
      ...OPERATORS,
      // Claims an alias of MTS: the alias then names neither.
      { id: 'dup', name: 'Dup', baseUrl: 'https://dup.example', secrets: ['whsec_eA=='], aliases: ['mMTS'] },
    ]);
    const db = f.db.db;
    await db
      .insertInto('ported_numbers')
      .values([
        { phone_number: '+79001234567', operator_id: 'megafon', ported_at: null },
        { phone_number: '+79001234568', operator_id: 'gone', ported_at: null },
      ])
      .execute();
    await db
      .insertInto('number_ranges')
      .values([
        { start_num: 79000000000, end_num: 79009999999, operator_id: 'mts' },
        { start_num: 79010000000, end_num: 79010099999, operator_id: 'gone' },
        { start_num: 79020000000, end_num: 79020000000, operator_id: 't2' },
      ])
      .execute();
    await db
      .insertInto('number_prefixes')
      .values([
        { prefix: '+7', operator_id: 'megafon' },
        { prefix: '+790', operator_id: 't2' },
        { prefix: '+7901', operator_id: 'mts' },
        { prefix: '+44', operator_id: 'gone' },
      ])
      .execute();
  });
  afterAll(() => f?.close());

  it('lists the configured operators and finds them by id', () => {
    expect(f.directory.all().map((o) => o.id)).toEqual(['mts', 'megafon', 't2', 'dup']);
    expect(f.directory.operator('t2')?.name).toBe('T2');
    expect(f.directory.operator('nope')).toBeUndefined();
  });

  it('resolves ids, names, INNs, owner ids and MNCs, but not an alias two operators claim', () => {
    const d = f.directory;
    expect(d.resolveAlias(' mts ')?.id).toBe('mts');
    expect(d.resolveAlias('MEGAFON')?.id).toBe('megafon');
    expect(d.resolveAlias('7743895280')?.id).toBe('t2');
    expect(d.resolveAlias('пао  "мобильные телесистемы"')?.id).toBe('mts');
    expect(d.resolveAlias('ПАО "МегаФон"')?.id).toBe('megafon');
    expect(d.resolveAlias('mTELE2')?.id).toBe('t2');
    expect(d.resolveAlias('02')?.id).toBe('megafon');
    expect(d.resolveAlias('mMTS')).toBeUndefined();
    expect(d.ambiguousAliases).toEqual(['mmts']);
    expect(d.resolveAlias('')).toBeUndefined();
  });

  it('prefers the portability table over the numbering plan', async () => {
    expect((await f.directory.lookup('+79001234567'))?.id).toBe('megafon');
    expect((await f.directory.lookup('+79001234569'))?.id).toBe('mts');
  });

  it('prefers a range over a prefix, and uses both ends of a range', async () => {
    expect((await f.directory.lookup('+79000000000'))?.id).toBe('mts');
    expect((await f.directory.lookup('+79009999999'))?.id).toBe('mts');
    expect((await f.directory.lookup('+79020000000'))?.id).toBe('t2');
  });

  it('falls back to the longest matching prefix outside every range', async () => {
    expect((await f.directory.lookup('+79020000001'))?.id).toBe('t2');
    expect((await f.directory.lookup('+79011000000'))?.id).toBe('mts');
    expect((await f.directory.lookup('+78120000000'))?.id).toBe('megafon');
    expect(await f.directory.lookup('+12125550100')).toBeUndefined();
  });

  it('gives no operator for a number mapped to one no longer configured, without falling through', async () => {
    expect(await f.directory.lookup('+79001234568')).toBeUndefined();
    expect(await f.directory.route('+79001234568')).toEqual({ source: 'ported', operatorId: 'gone' });
    expect(await f.directory.route('+79010000001')).toEqual({ source: 'range', operatorId: 'gone' });
    expect(await f.directory.route('+447700900123')).toEqual({ source: 'prefix', operatorId: 'gone' });
    expect(await f.directory.route('+12125550100')).toBeUndefined();
    expect(await f.directory.lookup('+79010000001')).toBeUndefined();
    expect(await f.directory.lookup('+447700900123')).toBeUndefined();
  });

  it('gives no operator for what is not an E.164 number', async () => {
    expect(await f.directory.lookup('89001234567')).toBeUndefined();
    expect(await f.directory.lookup('+7 900 123')).toBeUndefined();
    expect(await f.directory.lookup('')).toBeUndefined();
  });

  it('works with an empty configuration', () => {
    const empty = new OperatorDirectory(f.db, []);
    expect(empty.all()).toEqual([]);
    expect(empty.resolveAlias('mts')).toBeUndefined();
  });
});
