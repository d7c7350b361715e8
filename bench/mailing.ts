/**
 * An official mass mailing through the real server: N identified accounts (default 1,000,000) in a SQLite file,
 * C of them online (default 10,000), each with one device on a WebSocket. A real authority signs a notice and
 * posts it; the figures are the time from the request to its 2xx (publish), and for each online device in the
 * audience the time from the request until its `notice` frame arrived (push), plus the server's memory.
 *
 *   npm run bench -- mailing [--accounts 1000000] [--online 10000] [--prefixes 100] [--mailings 3]
 *
 * Numbers spread evenly over the 100 prefixes +7900 … +7999. `--prefixes P` addresses the notice to the first P
 * of them (the default, 100, reaches everyone through the longest prefix list a mailing may carry); 0 sends it
 * to `{ all: true }`. Devices outside the audience must get nothing, and the run checks that they did not.
 * Each device acknowledges its notice as a client does, and the delivered count is read back at the end.
 * The server runs in its own process (`signet server`, SQLite with synchronous=FULL, as shipped).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { AuthorityClient } from '@signet/client/authority';
import type { Mailing, NoticeAudience } from '@signet/protocol';
import { integerOption, loadAverage, log } from './common/cli';
import { connectDevices, type Devices } from './mailing/devices';
import { PREFIXES, seed } from './mailing/seed';
import { ProcessSampler, startSignetServer, stopProcess } from './messaging/targets';

/** Targets of the issue. */
const PUBLISH_TARGET_MS = 1000;
const P99_TARGET_MS = 2000;

interface Options {
  accounts: number;
  online: number;
  prefixes: number;
  mailings: number;
}

interface Row {
  mailing: number;
  audience: number;
  expected: number;
  received: number;
  stray: number;
  publishMs: number;
  p50: number;
  p99: number;
  max: number;
  delivered: number;
  countMs: number;
}

export async function run(args: string[]): Promise<void> {
  const o = parseOptions(args);
  log(
    `${o.accounts.toLocaleString('en')} identified accounts, ${o.online.toLocaleString('en')} online, ` +
      `audience ${o.prefixes === 0 ? 'all' : `${o.prefixes} prefix${o.prefixes === 1 ? '' : 'es'}`}, ` +
      `${o.mailings} mailing${o.mailings === 1 ? '' : 's'}`,
  );
  log(`machine: ${availableParallelism()} CPUs, load average ${loadAverage()} at start`);
  const dir = mkdtempSync(join(tmpdir(), 'signet-bench-mail-'));
  try {
    log('seeding…');
    const seeded = await seed(dir, o.accounts, o.online);
    log(`seeded in ${seeded.seconds.toFixed(1)} s; starting the server…`);
    const { base, child } = await startSignetServer(dir);
    const sampler = new ProcessSampler(child.pid as number);
    let devices: Devices | undefined;
    try {
      const t0 = performance.now();
      devices = await connectDevices(base, o.online);
      log(`${o.online.toLocaleString('en')} devices connected in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
      const client = new AuthorityClient({ baseUrl: base, signer: seeded.signer });
      sampler.reset();
      const rows: Row[] = [];
      for (let k = 1; k <= o.mailings; k++) rows.push(await mailOnce(o, k, client, devices));
      sampler.sample();
      printTable(o, rows, sampler);
    } finally {
      devices?.close();
      sampler.stop();
      await stopProcess(child);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  log(`load average ${loadAverage()} at the end`);
}

async function mailOnce(o: Options, k: number, client: AuthorityClient, devices: Devices): Promise<Row> {
  const chosen = o.prefixes === 0 ? PREFIXES : PREFIXES.slice(0, o.prefixes);
  const audience: NoticeAudience = o.prefixes === 0 ? { all: true } : { prefixes: chosen };
  const expected = devices.inAudience(chosen);
  devices.expect();
  const start = performance.now();
  devices.startClock(start);
  const sent = await client.sendMailing({
    title: `Bench notice ${k}`,
    body: 'A storm is expected tonight. Stay indoors; shelters are open at schools 3 and 7.',
    audience,
  });
  const publishMs = performance.now() - start;
  await devices.waitForNotices(expected, 15_000);
  // Let the acknowledgements reach the server and be written, then read the counts as the authority does.
  await new Promise((r) => setTimeout(r, 1000));
  const countStart = performance.now();
  const counted: Mailing = await client.mailing(sent.mailingId);
  const countMs = performance.now() - countStart;
  const latencies = devices.latencies().sort((a, b) => a - b);
  const pct = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? Number.NaN;
  return {
    mailing: sent.mailingId,
    audience: sent.counts.audience,
    expected,
    received: latencies.length,
    stray: devices.stray(chosen),
    publishMs,
    p50: pct(0.5),
    p99: pct(0.99),
    max: latencies[latencies.length - 1] ?? Number.NaN,
    delivered: counted.counts.delivered,
    countMs,
  };
}

function printTable(o: Options, rows: Row[], sampler: ProcessSampler): void {
  const head = ['mailing', 'accounts', 'audience', 'online', 'received', 'stray', 'publish ms', 'p50 ms', 'p99 ms'];
  const table = [[...head, 'max ms', 'delivered', 'count ms', 'RSS peak', 'RSS end']];
  for (const r of rows) {
    table.push([
      String(r.mailing),
      o.accounts.toLocaleString('en'),
      r.audience.toLocaleString('en'),
      `${r.expected}/${o.online}`,
      String(r.received),
      String(r.stray),
      r.publishMs.toFixed(0),
      r.p50.toFixed(0),
      r.p99.toFixed(0),
      r.max.toFixed(0),
      r.delivered.toLocaleString('en'),
      r.countMs.toFixed(0),
      `${sampler.peak.toFixed(0)} MiB`,
      `${sampler.last.toFixed(0)} MiB`,
    ]);
  }
  const widths = (table[0] as string[]).map((_, c) => Math.max(...table.map((row) => (row[c] as string).length)));
  log('');
  for (const row of table) log(row.map((cell, c) => cell.padStart(widths[c] as number)).join('  '));
  log('');
  for (const r of rows) {
    const complete = r.received === r.expected && r.stray === 0;
    log(
      `mailing ${r.mailing}: publish ${r.publishMs.toFixed(0)} ms (target < ${PUBLISH_TARGET_MS} ms): ` +
        `${r.publishMs < PUBLISH_TARGET_MS ? 'met' : 'MISSED'}; push p99 ${r.p99.toFixed(0)} ms to ${r.received} ` +
        `devices (target < ${P99_TARGET_MS} ms, all of them): ${r.p99 < P99_TARGET_MS && complete ? 'met' : 'MISSED'}`,
    );
  }
  log('audience = identified accounts in it when sent; online = devices in the audience / devices connected');
  log('push times run from the start of the publishing request to the arrival of the frame at the device');
  log('stray = notices that reached devices outside the audience (must be 0); delivered = acknowledged, counted');
}

function parseOptions(args: string[]): Options {
  const { values } = parseArgs({
    args,
    options: {
      accounts: { type: 'string', default: '1000000' },
      online: { type: 'string', default: '10000' },
      prefixes: { type: 'string', default: '100' },
      mailings: { type: 'string', default: '3' },
    },
    strict: true,
  });
  const int = (name: keyof typeof values, min: number, max: number) => integerOption(values, name, min, max);
  const accounts = int('accounts', 1, 10_000_000);
  return {
    accounts,
    online: Math.min(int('online', 1, 15_000), accounts),
    prefixes: int('prefixes', 0, 100),
    mailings: int('mailings', 1, 20),
  };
}
