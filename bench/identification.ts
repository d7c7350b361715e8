/**
 * Backfill identification through the real reference operator over HTTP on loopback:
 * N never-identified accounts (default 100,000), each asked of the operator with `existing_user`,
 * until every one is confirmed. The operator runs as its own process (`signet operator`), as an
 * operator's system would; both keep their data in SQLite files, as `npm start` does.
 *
 *   npm run bench -- identification [--accounts N]
 *
 * SIGNET_BENCH_OPERATOR_PROF=<dir> writes a CPU profile of the operator process there
 * (NODE_OPTIONS refuses --cpu-prof).
 */
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newSecret, silentLogger } from '@signet/common';
import { buildConfig, newAccountRow, SignetServer } from '@signet/server';

const SIGNET = join(import.meta.dirname, '..', 'packages', 'cli', 'bin', 'signet.mjs');

export async function run(args: string[]): Promise<void> {
  const n = Number(args[args.indexOf('--accounts') + 1]) || 100_000;
  const dir = mkdtempSync(join(tmpdir(), 'signet-bench-id-'));
  const secret = newSecret(randomBytes(32));
  const operatorPort = 18090 + Math.floor(Math.random() * 500);

  const config = buildConfig({
    SIGNET_ENV: 'development',
    SIGNET_HOST: '127.0.0.1',
    SIGNET_PORT: '0',
    SIGNET_DATA_DIR: join(dir, 'messenger'),
    SIGNET_MESSENGER_ID: 'bench',
    SIGNET_BACKFILL_RATE: '1000000',
    SIGNET_OPERATORS: JSON.stringify([
      { id: 'bench-op', name: 'Bench', baseUrl: `http://127.0.0.1:${operatorPort}`, secrets: [secret] },
    ]),
  });
  const server = await SignetServer.create(config, { logger: silentLogger() });
  await server.listen();
  const number = (i: number) => `+7900${String(i).padStart(7, '0')}`;
  process.stdout.write(`seeding ${n} subscribers and ${n} unidentified accounts…\n`);
  const operatorEnv = {
    ...process.env,
    SIGNET_OPERATOR_ID: 'bench-op',
    SIGNET_OPERATOR_PORT: String(operatorPort),
    SIGNET_OPERATOR_DATA_DIR: join(dir, 'operator'),
    SIGNET_OPERATOR_LOG_LEVEL: 'warn',
    SIGNET_OPERATOR_WORKER_INTERVAL: '20ms',
    SIGNET_OPERATOR_EVENT_LINGER: '20ms',
    SIGNET_OPERATOR_MESSENGERS: JSON.stringify([
      { messengerId: 'bench', eventsUrl: `${server.url}/operator/v1/events`, secrets: [secret] },
    ]),
  };
  const csv = join(dir, 'subscribers.csv');
  const lines = ['phoneNumber,status,identityComplete'];
  for (let i = 0; i < n; i++) lines.push(`${number(i)},active,true`);
  writeFileSync(csv, `${lines.join('\n')}\n`);
  execFileSync(process.execPath, [SIGNET, 'operator', 'subscribers', 'import', csv], {
    env: operatorEnv,
    stdio: 'ignore',
  });
  const prof = process.env.SIGNET_BENCH_OPERATOR_PROF;
  const operator = spawn(
    process.execPath,
    [...(prof ? ['--cpu-prof', `--cpu-prof-dir=${prof}`] : []), SIGNET, 'operator'],
    {
      env: operatorEnv,
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  await waitForHealth(`http://127.0.0.1:${operatorPort}`);
  const db = server.ctx.db.db;
  await db.insertInto('number_prefixes').values({ prefix: '+7900', operator_id: 'bench-op' }).execute();
  const now = Date.now();
  for (let start = 0; start < n; start += 2000) {
    const rows = [];
    for (let i = start; i < Math.min(n, start + 2000); i++) {
      rows.push(newAccountRow(number(i), now, { id: `acc_bench${String(i).padStart(8, '0')}` }));
    }
    await db.insertInto('accounts').values(rows).execute();
  }

  const t0 = performance.now();
  const recorded = await server.ctx.identification.backfill.run();
  const tRecorded = performance.now();
  let confirmed = 0;
  for (;;) {
    const row = await db
      .selectFrom('accounts')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('state', '=', 'identified')
      .executeTakeFirstOrThrow();
    confirmed = Number(row.n);
    if (confirmed >= n || performance.now() - t0 > 600_000) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const seconds = (performance.now() - t0) / 1000;
  const rss = process.memoryUsage().rss / 2 ** 20;
  const operatorRss =
    Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${operator.pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
  process.stdout.write(
    [
      `accounts:             ${n}`,
      `requests recorded in: ${((tRecorded - t0) / 1000).toFixed(1)} s (${recorded.enqueued})`,
      `all confirmed in:     ${seconds.toFixed(1)} s (${confirmed} identified)`,
      `identifications/s:    ${Math.round(confirmed / seconds)}`,
      `rss messenger:        ${rss.toFixed(0)} MiB`,
      `rss operator:         ${operatorRss.toFixed(0)} MiB`,
      '',
    ].join('\n'),
  );
  operator.kill('SIGTERM');
  await new Promise((r) => operator.once('exit', r));
  await server.close();
  rmSync(dir, { recursive: true, force: true });
}

async function waitForHealth(base: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    try {
      const res = await fetch(`${base}/v1/registrations`);
      if (res.status > 0) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the operator did not start');
}
