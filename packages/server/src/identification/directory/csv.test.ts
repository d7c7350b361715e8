import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { OVERLONG_LINE, readLines, splitCsvLine } from './csv';

async function collect(chunks: Buffer[]): Promise<{ lines: string[]; firstLines: number[]; bytes: number[] }> {
  const out = { lines: [] as string[], firstLines: [] as number[], bytes: [] as number[] };
  for await (const c of readLines(Readable.from(chunks))) {
    out.lines.push(...c.lines);
    out.firstLines.push(c.firstLine);
    out.bytes.push(c.bytesRead);
  }
  return out;
}

describe('splitCsvLine', () => {
  it('splits plain fields and trims them', () => {
    expect(splitCsvLine('900; 0000000 ;0061999', ';')).toEqual(['900', '0000000', '0061999']);
  });

  it('reads quoted fields with the delimiter and doubled quotes inside', () => {
    expect(splitCsvLine('900;"ПАО ""МТС""; филиал";"а;б"', ';')).toEqual(['900', 'ПАО "МТС"; филиал', 'а;б']);
    expect(splitCsvLine('"";x;""', ';')).toEqual(['', 'x', '']);
  });

  it('keeps quotes inside an unquoted field as they are', () => {
    expect(splitCsvLine('900;ООО "Т2 Мобайл";7743895280', ';')).toEqual(['900', 'ООО "Т2 Мобайл"', '7743895280']);
  });

  it('refuses broken quoting', () => {
    expect(splitCsvLine('900;"unterminated', ';')).toBeNull();
    expect(splitCsvLine('900;"closed"junk;x', ';')).toBeNull();
  });
});

describe('readLines', () => {
  it('strips the byte-order mark and CR, and keeps a last line without a newline', async () => {
    const out = await collect([Buffer.from('\uFEFFa;b\r\nc;d\r\n\r\ne')]);
    expect(out.lines).toEqual(['a;b', 'c;d', '', 'e']);
  });

  it('joins lines and characters cut between chunks', async () => {
    const text = Buffer.from('первая строка\nвторая\nтретья\n');
    const chunks = Array.from({ length: text.length }, (_, i) => text.subarray(i, i + 1));
    const out = await collect(chunks);
    expect(out.lines).toEqual(['первая строка', 'вторая', 'третья']);
    expect(out.firstLines).toEqual([1, 2, 3]);
    expect(out.bytes.at(-1)).toBe(text.length);
  });

  it('reports a byte-order mark split across chunks as removed', async () => {
    const text = Buffer.from('\uFEFFx\n');
    const out = await collect([text.subarray(0, 1), text.subarray(1)]);
    expect(out.lines).toEqual(['x']);
  });

  it('cuts a line too long to be a record instead of holding it', async () => {
    const big = Buffer.alloc(3 << 20, 0x61);
    const out = await collect([Buffer.from('a\n'), big, Buffer.from('\nb\n')]);
    expect(out.lines).toEqual(['a', OVERLONG_LINE, 'b']);
  });
});
