/**
 * One-to-one messaging through the real server, against a bare WebSocket relay doing the same work:
 * C connected devices in pairs (default 1000), each sending pre-encrypted payloads to its peer.
 *
 *   npm run bench -- messaging [--devices 1000] [--seconds 10] [--window 4] [--rate 1000] [--payload 256]
 *                              [--send ws|http] [--targets signet,relay] [--phases closed,open] [--profile DIR]
 *
 * Closed loop: every device keeps `window` messages in flight (delivered = received by the peer's socket).
 * Open loop: `rate` messages a second in total, spread over the devices. Each phase warms up for a second,
 * measures for `seconds`, then lets in-flight messages drain (bounded). Signet acknowledges a send only once
 * it is durably stored: SQLite in WAL with synchronous=FULL, as shipped (run with SIGNET_SQLITE_SYNC=normal in the
 * environment to see what waiting for the disk costs). The server, the relay and this load
 * generator each run in their own process; `--profile DIR` writes a CPU profile of the server there.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { integerOption, loadAverage, log } from './common/cli';
import { type Client, connectAll, keepAliveAgent, RelayClient, type SendPath, SignetClient } from './messaging/clients';
import { type PhaseOptions, type PhaseResult, payloads, Workload } from './messaging/load';
import { ProcessSampler, pairDevices, startRelay, startSignet, type Target } from './messaging/targets';

interface Options {
  devices: number;
  seconds: number;
  window: number;
  rate: number;
  payload: number;
  send: SendPath;
  targets: string[];
  phases: Array<'closed' | 'open'>;
  profile: string | undefined;
}

interface Row {
  target: string;
  phase: 'closed' | 'open';
  result: PhaseResult;
  rssPeak: number;
  rssEnd: number;
  /** CPU seconds of the target process and of this load generator during the phase. */
  targetCpu: number;
  loadCpu: number;
}

/** Targets of the issue: closed loop at least 60% of the relay's rate, open loop p99 under 5 ms. */
const SHARE_TARGET = 0.6;
const P99_TARGET_MS = 5;

export async function run(args: string[]): Promise<void> {
  const o = parseOptions(args);
  log(
    `${o.devices} devices in ${o.devices / 2} pairs, window ${o.window}, open-loop ${o.rate} msg/s, ` +
      `${o.payload}-byte payloads, ${o.seconds} s a phase, Signet sends over ${o.send === 'ws' ? 'WebSocket' : 'HTTP'}`,
  );
  log(`machine: ${availableParallelism()} CPUs, load average ${loadAverage()} at start`);
  const rows: Row[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'signet-bench-msg-'));
  try {
    if (o.targets.includes('signet')) rows.push(...(await benchSignet(o, dir)));
    if (o.targets.includes('relay')) rows.push(...(await benchRelay(o)));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  printTable(o, rows);
  log(`load average ${loadAverage()} at the end`);
}

async function benchSignet(o: Options, dir: string): Promise<Row[]> {
  log('signet: seeding accounts and starting the server…');
  const target = await startSignet(join(dir, 'signet'), o.devices, o.profile);
  const agent = keepAliveAgent(o.devices * o.window);
  try {
    const devices = await pairDevices(target.base, o.devices);
    const workload = new Workload(o.devices, payloads(o.payload), true);
    const clients = await connectAll(o.devices, (i) =>
      SignetClient.connect(target.base, devices[i] as (typeof devices)[number], o.send, agent, workload),
    );
    return await runPhases(o, target, workload, clients);
  } finally {
    agent.destroy();
    await target.stop();
  }
}

async function benchRelay(o: Options): Promise<Row[]> {
  log('relay: starting…');
  const target = await startRelay();
  try {
    const workload = new Workload(o.devices, payloads(o.payload), false);
    const clients = await connectAll(o.devices, (i) => RelayClient.connect(target.base, i, workload));
    return await runPhases(o, target, workload, clients);
  } finally {
    await target.stop();
  }
}

async function runPhases(o: Options, target: Target, workload: Workload, clients: Client[]): Promise<Row[]> {
  workload.attach(clients);
  const proc = new ProcessSampler(target.process.pid as number);
  const rows: Row[] = [];
  try {
    for (const phase of o.phases) {
      proc.reset();
      const loadCpu = process.cpuUsage();
      log(`${target.name}: ${phase} loop…`);
      const options: PhaseOptions = {
        kind: phase,
        warmupMs: 1000,
        measureMs: o.seconds * 1000,
        window: o.window,
        rate: o.rate,
        drainMs: 10_000,
        maxMessages: 50_000_000,
      };
      const result = await workload.run(options);
      proc.sample();
      const used = process.cpuUsage(loadCpu);
      rows.push({
        target: target.name,
        phase,
        result,
        rssPeak: proc.peak,
        rssEnd: proc.last,
        targetCpu: proc.cpu(),
        loadCpu: (used.user + used.system) / 1e6,
      });
      for (const [why, n] of result.failures) log(`  ${n} sends failed: ${why}`);
    }
  } finally {
    proc.stop();
    for (const c of clients) c.close();
  }
  return rows;
}

function printTable(o: Options, rows: Row[]): void {
  const head = ['target', 'phase', 'C', 'sent', 'stored', 'delivered', 'lost', 'delivered/s', 'p50 ms', 'p99 ms'];
  const table = [[...head, 'max ms', 'RSS peak', 'RSS end', 'CPU µs/msg', 'CPU target', 'CPU load']];
  for (const { target, phase, result: r, rssPeak, rssEnd, targetCpu, loadCpu } of rows) {
    table.push([
      target,
      phase === 'closed' ? `closed W=${o.window}` : `open ${o.rate}/s`,
      String(o.devices),
      String(r.sent),
      target === 'relay' ? '-' : String(r.accepted),
      String(r.delivered),
      String(r.lost + r.failed + r.skipped),
      Math.round(r.rate).toLocaleString('en'),
      r.p50.toFixed(2),
      r.p99.toFixed(2),
      r.max.toFixed(1),
      `${rssPeak.toFixed(0)} MiB`,
      `${rssEnd.toFixed(0)} MiB`,
      ((targetCpu * 1e6) / Math.max(1, r.deliveredAll)).toFixed(0),
      `${((100 * targetCpu) / r.wallSeconds).toFixed(0)}%`,
      `${((100 * loadCpu) / r.wallSeconds).toFixed(0)}%`,
    ]);
  }
  const widths = (table[0] as string[]).map((_, c) => Math.max(...table.map((row) => (row[c] as string).length)));
  log('');
  for (const row of table) log(row.map((cell, c) => cell.padStart(widths[c] as number)).join('  '));
  log('');
  const find = (target: string, phase: string) => rows.find((r) => r.target === target && r.phase === phase);
  const signet = find('signet', 'closed');
  const relay = find('relay', 'closed');
  if (signet && relay) {
    const share = signet.result.rate / relay.result.rate;
    log(
      `closed loop: Signet delivers ${Math.round(signet.result.rate)} msg/s, ${(share * 100).toFixed(0)}% of the ` +
        `relay's ${Math.round(relay.result.rate)} msg/s (target ≥ ${SHARE_TARGET * 100}%): ${share >= SHARE_TARGET ? 'met' : 'MISSED'}`,
    );
  }
  const open = find('signet', 'open');
  if (open) {
    const p99 = open.result.p99;
    log(
      `open loop: Signet p99 ${p99.toFixed(2)} ms at ${o.rate} msg/s (target < ${P99_TARGET_MS} ms): ` +
        `${p99 < P99_TARGET_MS && open.result.lost + open.result.skipped === 0 ? 'met' : 'MISSED'}`,
    );
  }
  log('lost = measured sends refused, skipped, or not delivered within 10 s of the end of the phase');
  log('CPU µs/msg = CPU time of the target process per delivered message; CPU target / load = share of one core');
}

function parseOptions(args: string[]): Options {
  const { values } = parseArgs({
    args,
    options: {
      devices: { type: 'string', default: '1000' },
      seconds: { type: 'string', default: '10' },
      window: { type: 'string', default: '4' },
      rate: { type: 'string', default: '1000' },
      payload: { type: 'string', default: '256' },
      send: { type: 'string', default: 'ws' },
      targets: { type: 'string', default: 'signet,relay' },
      phases: { type: 'string', default: 'closed,open' },
      profile: { type: 'string' },
    },
    strict: true,
  });
  const int = (name: keyof typeof values, min: number, max: number) => integerOption(values, name, min, max);
  const devices = int('devices', 2, 10_000);
  if (devices % 2 !== 0) throw new Error('--devices must be even: devices are paired');
  const send = values.send;
  if (send !== 'ws' && send !== 'http') throw new Error('--send is ws or http');
  const phases = (values.phases ?? '').split(',').filter((p): p is 'closed' | 'open' => p === 'closed' || p === 'open');
  return {
    devices,
    seconds: int('seconds', 1, 600),
    window: int('window', 1, 1000),
    rate: int('rate', 1, 1_000_000),
    payload: int('payload', 1, 64 * 1024),
    send,
    targets: (values.targets ?? '').split(','),
    phases,
    profile: values.profile,
  };
}
