import { Readable } from 'node:stream';
import { testDialects } from '@signet/common';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importPorted, parsePortDate } from './import-ported';
import { type DirectoryFixture, openDirectory } from './test-support';

const HEADER = 'Number,OwnerId,MNC,Route,RegionCode,PortDate,RowCount';

function stream(text: string): Readable {
  return Readable.from([Buffer.from(text, 'utf8')]);
}

describe('parsePortDate', () => {
  it('reads ISO and dotted dates, zone-less as UTC', () => {
    expect(parsePortDate('2024-01-31T12:00:00')).toBe(Date.UTC(2024, 0, 31, 12));
    expect(parsePortDate('2024-01-31 12:00:00.250')).toBe(Date.UTC(2024, 0, 31, 12, 0, 0, 250));
    expect(parsePortDate('2024-01-31T12:00:00+03:00')).toBe(Date.UTC(2024, 0, 31, 9));
    expect(parsePortDate('2024-01-31T12:00:00Z')).toBe(Date.UTC(2024, 0, 31, 12));
    expect(parsePortDate('2024-01-31')).toBe(Date.UTC(2024, 0, 31));
    expect(parsePortDate('31.01.2024')).toBe(Date.UTC(2024, 0, 31));
    expect(parsePortDate('31.01.2024 08:15')).toBe(Date.UTC(2024, 0, 31, 8, 15));
  });

  it('gives null for what is absent or not a real date', () => {
    for (const s of ['', 'yesterday', '31.02.2024', '2024-13-01', '2024-01-31T25:00:00', '1706700000']) {
      expect(parsePortDate(s), s).toBeNull();
    }
  });
});

describe.each(testDialects())('importPorted on %s', (dialect) => {
  let f: DirectoryFixture;

  beforeEach(async () => {
    f = await openDirectory(dialect);
  });
  afterEach(() => f?.close());

  const ported = async () => f.db.db.selectFrom('ported_numbers').selectAll().orderBy('phone_number').execute();

  it('imports the export: owner id, then MNC, dates when they parse', async () => {
    const text = [
      HEADER,
      '9001234567,mMTS,01,D0001,77,2024-01-31T12:00:00,3',
      '9001234568,mUNKNOWN,02,D0002,77,31.01.2024,3',
      '9001234569,,20,D0003,50,garbage,3',
    ].join('\r\n');
    const summary = await importPorted(f.db, f.directory, stream(`\uFEFF${text}\r\n`));
    expect(summary).toMatchObject({ kind: 'ported', rowsRead: 3, imported: 3 });
    expect(await ported()).toEqual([
      { phone_number: '+79001234567', operator_id: 'mts', ported_at: Date.UTC(2024, 0, 31, 12) },
      { phone_number: '+79001234568', operator_id: 'megafon', ported_at: Date.UTC(2024, 0, 31) },
      { phone_number: '+79001234569', operator_id: 't2', ported_at: null },
    ]);
    expect((await f.directory.lookup('+79001234568'))?.id).toBe('megafon');
  });

  it('skips unknown operators per name and malformed lines with their numbers', async () => {
    const text = [
      HEADER,
      '79001234567,mMTS,01,,,,',
      '9001234567,mNOBODY,99,,,,',
      '900123456,mMTS,01,,,,',
      '9001234568,mNOBODY,99,,,,',
      '"9001234569,mMTS',
      '9001234570,,,,,,',
      '9001234571,mMTS,01,,,,',
    ].join('\n');
    const summary = await importPorted(f.db, f.directory, stream(text));
    expect(summary).toMatchObject({ rowsRead: 7, imported: 1 });
    expect(summary.skipped.unknownOperator).toEqual({ 'mNOBODY (MNC 99)': 2, '(no operator)': 1 });
    expect(summary.skipped.malformed).toEqual({ count: 3, firstLines: [2, 4, 6] });
  });

  it('lets a later row win, within a file and over an earlier import', async () => {
    await importPorted(
      f.db,
      f.directory,
      stream(`${HEADER}\n9001234567,mMTS,01,,,2024-01-01,\n9001234568,mMTS,01,,,,\n`),
    );
    const second = `${HEADER}\n9001234567,mMEGAFON,02,,,2024-02-01,\n9001234567,mTELE2,20,,,2024-03-01,\n`;
    expect(await importPorted(f.db, f.directory, stream(second))).toMatchObject({ rowsRead: 2, imported: 2 });
    expect(await ported()).toEqual([
      { phone_number: '+79001234567', operator_id: 't2', ported_at: Date.UTC(2024, 2, 1) },
      { phone_number: '+79001234568', operator_id: 'mts', ported_at: null },
    ]);
  });

  it('reads a file without header, and its columns by name when they come in another order', async () => {
    await importPorted(f.db, f.directory, stream('9001234567,mMTS,01,R,77,,1\n'));
    await importPorted(f.db, f.directory, stream('MNC;Number;OwnerId\n20;9001234568;x\n'));
    expect((await ported()).map((r) => r.operator_id)).toEqual(['mts', 't2']);
  });

  it('imports many batches and reports progress', async () => {
    const rows = Array.from({ length: 12_345 }, (_, i) => `${9_100_000_000 + i},mMEGAFON,02,,,,`);
    const text = `${HEADER}\n${rows.join('\n')}\n`;
    let last: [number, number] = [0, 0];
    const summary = await importPorted(f.db, f.directory, stream(text), { onProgress: (b, r) => (last = [b, r]) });
    expect(summary).toMatchObject({ rowsRead: 12_345, imported: 12_345, bytesRead: Buffer.byteLength(text) });
    expect(last).toEqual([Buffer.byteLength(text), 12_345]);
    expect((await ported()).length).toBe(12_345);
  });
});
