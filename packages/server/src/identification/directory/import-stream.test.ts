import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testDialects } from '@signet/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importPlan } from './import-plan';
import { type DirectoryFixture, openDirectory, writeRegistryFile } from './test-support';

const ROWS = 300_000;

describe('importing a large registry file', () => {
  let dir: string;
  let path: string;
  let expected: { unknown: number; malformed: number };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'signet-registry-'));
    path = join(dir, 'registry.csv');
    expected = await writeRegistryFile(path, ROWS);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  describe.each(testDialects())('on %s', (dialect) => {
    let f: DirectoryFixture;
    beforeAll(async () => {
      f = await openDirectory(dialect);
    });
    afterAll(() => f?.close());

    it(`streams ${ROWS.toLocaleString('en')} rows in batches and counts what it skipped`, {
      timeout: 60_000,
    }, async () => {
      let progressCalls = 0;
      const summary = await importPlan(f.db, f.directory, path, { onProgress: () => progressCalls++ });
      const imported = ROWS - expected.unknown - expected.malformed;
      expect(summary).toMatchObject({ kind: 'ranges', rowsRead: ROWS, imported, stored: imported, replaced: true });
      expect(summary.bytesRead).toBe(statSync(path).size);
      expect(summary.skipped.unknownOperator).toEqual({ 'ООО "Не настроенный" (ИНН 1234567890)': expected.unknown });
      expect(summary.skipped.malformed.count).toBe(expected.malformed);
      expect(summary.skipped.malformed.firstLines[0]).toBe(502);
      expect(progressCalls).toBeGreaterThan(5);
      // Row 0 names MTS by INN, row 1 MegaFon by its quoted name, row 2 T2 by name alone.
      expect((await f.directory.lookup('+73000000000'))?.id).toBe('mts');
      expect((await f.directory.lookup('+73000001999'))?.id).toBe('megafon');
      expect((await f.directory.lookup('+73000002500'))?.id).toBe('t2');
      expect(await f.directory.lookup('+73000099000')).toBeUndefined();
      expect((await f.directory.lookup('+73299998500'))?.id).toBe('megafon');
    });
  });
});
