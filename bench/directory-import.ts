import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Database } from '@signet/common';
import { importPlan, migrations, OperatorDirectory, type Schema } from '@signet/server';
import { OPERATORS, writeRegistryFile } from '../packages/server/src/identification/directory/test-support';

const ROWS = 2_000_000;

/** Generates a 2,000,000-row registry file, imports it into a fresh SQLite file and prints rows/s and peak RSS. */
export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'signet-bench-'));
  try {
    const file = join(dir, 'registry.csv');
    let started = performance.now();
    await writeRegistryFile(file, ROWS);
    const size = statSync(file).size;
    log(`generated ${ROWS.toLocaleString('en')} rows, ${mb(size)} in ${seconds(started)}`);

    const db = Database.open<Schema>({ sqlitePath: join(dir, 'signet.db') });
    await db.migrate(migrations);
    const directory = new OperatorDirectory(db, OPERATORS);
    const rssBefore = process.memoryUsage().rss;
    let peakRss = rssBefore;
    started = performance.now();
    const summary = await importPlan(db, directory, file, {
      onProgress: () => {
        peakRss = Math.max(peakRss, process.memoryUsage().rss);
      },
    });
    const elapsed = (performance.now() - started) / 1000;
    await db.close();
    log(
      `directory import (SQLite): ${summary.rowsRead.toLocaleString('en')} rows read, ` +
        `${summary.stored.toLocaleString('en')} stored in ${elapsed.toFixed(1)} s: ` +
        `${Math.round(summary.rowsRead / elapsed).toLocaleString('en')} rows/s, ${mb(size / elapsed)}/s`,
    );
    log(
      `peak RSS during import ${mb(peakRss)} (${mb(rssBefore)} before); ` +
        `process peak ${mb(process.resourceUsage().maxRSS * 1024)}`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function log(line: string): void {
  process.stdout.write(`${line}\n`);
}

function mb(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

function seconds(since: number): string {
  return `${((performance.now() - since) / 1000).toFixed(1)} s`;
}
