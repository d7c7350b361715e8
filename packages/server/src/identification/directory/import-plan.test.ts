import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { testDialects } from '@signet/common';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { importPlan, PlanFormatError } from './import-plan';
import { type DirectoryFixture, openDirectory } from './test-support';

const HEADER = 'АВС/ DEF;От;До;Емкость;Оператор;Регион;Территория ГАР;ИНН';
const BOM = '\uFEFF';

function stream(text: string): Readable {
  return Readable.from([Buffer.from(text, 'utf8')]);
}

describe.each(testDialects())('importPlan on %s', (dialect) => {
  let f: DirectoryFixture;
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'signet-plan-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  beforeEach(async () => {
    f = await openDirectory(dialect);
  });
  afterEach(() => f?.close());

  const operatorOf = async (e164: string) => (await f.directory.lookup(e164))?.id;
  const count = async (table: 'number_ranges' | 'number_prefixes') =>
    Number(
      (
        await f.db.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  it('reads the registry CSV: BOM, CRLF, bare and doubled quotes, INN before name', async () => {
    const lines = [
      HEADER,
      '900;0000000;0061999;62000;ООО "Т2 Мобайл";Краснодарский край;г. Краснодар;7743895280',
      '"901";"0";"99999";"100000";"ПАО ""Мобильные ТелеСистемы""";"г. Москва; Московская обл.";"";""',
      '',
      '902;1000000;1999999;1000000;ПАО «МегаФон»;Регион;Территория;0000000000',
      '903;0;999;1000;ПАО "Мобильные ТелеСистемы";Регион;Территория;7812014560',
    ];
    const path = join(dir, 'registry.csv');
    writeFileSync(path, `${BOM}${lines.join('\r\n')}\r\n`);
    const summary = await importPlan(f.db, f.directory, path);
    expect(summary).toMatchObject({ kind: 'ranges', rowsRead: 4, imported: 4, stored: 4, replaced: true });
    expect(summary.skipped).toEqual({
      unknownOperator: {},
      unknownOperatorRows: 0,
      malformed: { count: 0, firstLines: [] },
    });
    expect(await operatorOf('+79000000000')).toBe('t2');
    expect(await operatorOf('+79000061999')).toBe('t2');
    expect(await operatorOf('+79000062000')).toBeUndefined();
    expect(await operatorOf('+79010099999')).toBe('mts');
    expect(await operatorOf('+79021500000')).toBe('megafon');
    expect(await operatorOf('+79030000999')).toBe('megafon');
    const row = await f.db.db
      .selectFrom('number_ranges')
      .selectAll()
      .where('operator_id', '=', 't2')
      .executeTakeFirst();
    expect(row).toEqual({ start_num: 79000000000, end_num: 79000061999, operator_id: 't2' });
  });

  it('skips unknown operators per name and malformed lines with their numbers', async () => {
    const text = [
      HEADER,
      '900;0;9999;10000;ООО "Неизвестный";R;T;1234567890',
      '905;abc;999;1;ПАО "МегаФон";R;T;',
      '900;10000;19999;10000;ООО "Неизвестный";R;T;1234567890',
      '90;0;1;2;ПАО "МегаФон";R;T;',
      '906;"broken;1;2;ПАО "МегаФон";R;T;',
      '907;5;1;0;ПАО "МегаФон";R;T;',
      '908;0;12345678;0;ПАО "МегаФон";R;T;',
      '909;0;1;2;;R;T;',
      '910;0;99;100;ПАО "МегаФон";R;T;',
      '911;0;99;100;ПАО "МегаФон"; филиал;R;T;7812014560',
      '912;0;99;100;ПАО "МегаФон";R;T;;',
    ].join('\n');
    const summary = await importPlan(f.db, f.directory, stream(BOM + text));
    expect(summary).toMatchObject({ rowsRead: 11, imported: 2, stored: 2, replaced: true });
    expect(summary.skipped.unknownOperator).toEqual({ 'ООО "Неизвестный" (ИНН 1234567890)': 2, '(no operator)': 1 });
    expect(summary.skipped.unknownOperatorRows).toBe(3);
    expect(summary.skipped.malformed).toEqual({ count: 6, firstLines: [3, 5, 6, 7, 8, 11] });
  });

  it('replaces the previous ranges, and leaves them when nothing could be imported', async () => {
    await importPlan(f.db, f.directory, stream(`${HEADER}\n900;0;9999999;1;ООО "Т2 Мобайл";R;T;\n`));
    const second = `${HEADER}\n950;0;9999999;1;ПАО МегаФон;R;T;\n951;0;9999999;1;МТС;R;T;\n`;
    expect(await importPlan(f.db, f.directory, stream(second))).toMatchObject({ stored: 2, replaced: true });
    expect(await operatorOf('+79001234567')).toBeUndefined();
    expect(await operatorOf('+79501234567')).toBe('megafon');
    expect(await operatorOf('+79511234567')).toBe('mts');

    const useless = `${HEADER}\n960;0;9999999;1;ООО "Неизвестный";R;T;\n`;
    expect(await importPlan(f.db, f.directory, stream(useless))).toMatchObject({
      imported: 0,
      replaced: false,
      stored: 0,
    });
    expect(await count('number_ranges')).toBe(2);
  });

  it('reads the prefix CSV with or without a header, operators by id or alias', async () => {
    const text = [
      'prefix,operatorId',
      '+7900,t2',
      '+7,"ПАО ""МегаФон"""',
      '+7901,mMTS',
      '7902,mts',
      '+0123,mts',
      '+7904',
      '+7905,nobody',
      '+7900,mts',
    ].join('\n');
    const summary = await importPlan(f.db, f.directory, stream(text));
    expect(summary).toMatchObject({ kind: 'prefixes', rowsRead: 8, imported: 4, stored: 3, replaced: true });
    expect(summary.skipped.unknownOperator).toEqual({ nobody: 1 });
    expect(summary.skipped.malformed).toEqual({ count: 3, firstLines: [5, 6, 7] });
    expect(await operatorOf('+79001234567')).toBe('mts');
    expect(await operatorOf('+79011234567')).toBe('mts');
    expect(await operatorOf('+79991234567')).toBe('megafon');

    const headerless = await importPlan(f.db, f.directory, stream(`${BOM}+44,t2\r\n`));
    expect(headerless).toMatchObject({ kind: 'prefixes', rowsRead: 1, imported: 1, stored: 1 });
    expect(await operatorOf('+79991234567')).toBeUndefined();
    expect(await operatorOf('+447700900123')).toBe('t2');
  });

  it('keeps ranges and prefixes apart: importing one kind leaves the other', async () => {
    await importPlan(f.db, f.directory, stream(`${HEADER}\n900;0;9999999;1;ООО "Т2 Мобайл";R;T;\n`));
    await importPlan(f.db, f.directory, stream('prefix,operatorId\n+7,mts\n'));
    expect(await count('number_ranges')).toBe(1);
    expect(await count('number_prefixes')).toBe(1);
    expect(await operatorOf('+79001234567')).toBe('t2');
    expect(await operatorOf('+79101234567')).toBe('mts');
  });

  it('refuses a file of no known format, or not of the format asked for, and changes nothing', async () => {
    await importPlan(f.db, f.directory, stream('+7,mts\n'));
    await expect(importPlan(f.db, f.directory, stream('Number,OwnerId,MNC\n'))).rejects.toThrow(PlanFormatError);
    await expect(importPlan(f.db, f.directory, stream('+7,t2\n'), { format: 'registry' })).rejects.toThrow(
      PlanFormatError,
    );
    await expect(importPlan(f.db, f.directory, stream('\n\n'))).rejects.toThrow(/empty/);
    expect(await operatorOf('+79001234567')).toBe('mts');
    // The staging table went away with the failures: a new import starts clean.
    expect(await importPlan(f.db, f.directory, stream('+7,t2\n'))).toMatchObject({ stored: 1 });
  });

  it('reports progress by bytes and rows', async () => {
    const rows = Array.from({ length: 20_000 }, (_, i) => `+7${900_000 + i},t2`);
    const text = `prefix,operatorId\n${rows.join('\n')}\n`;
    const chunks: Buffer[] = [];
    const bytes = Buffer.from(text);
    for (let at = 0; at < bytes.length; at += 64 * 1024) chunks.push(bytes.subarray(at, at + 64 * 1024));
    const seen: Array<[number, number]> = [];
    const summary = await importPlan(f.db, f.directory, Readable.from(chunks), {
      onProgress: (b, r) => seen.push([b, r]),
    });
    expect(summary).toMatchObject({ rowsRead: 20_000, stored: 20_000, bytesRead: bytes.length });
    expect(seen.length).toBeGreaterThan(2);
    expect(seen.at(-1)).toEqual([bytes.length, 20_000]);
    for (let i = 1; i < seen.length; i++) expect(seen[i]![0]).toBeGreaterThanOrEqual(seen[i - 1]![0]);
  });
});
