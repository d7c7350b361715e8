/**
 * The two processes the messaging benchmark drives: the real Signet server (`signet server`, SQLite in WAL
 * with synchronous=FULL, as shipped) with C identified devices paired in direct conversations, and the bare
 * relay. Each runs in its own process so that the load generator does not share its event loop.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Database } from '@signet/common';
import { migrations, newAccountRow, type Schema } from '@signet/server';

const ROOT = join(import.meta.dirname, '..', '..');
const SIGNET = join(ROOT, 'packages', 'cli', 'bin', 'signet.mjs');
const RELAY = join(import.meta.dirname, 'relay.ts');

/** One device of the benchmark: device `2k` and `2k + 1` share conversation `k`. */
export interface BenchDevice {
  index: number;
  accountId: string;
  deviceId: string;
  token: string;
  conversationId: string;
}

export interface Target {
  name: string;
  /** http://127.0.0.1:port */
  base: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

/**
 * Seeds C identified accounts with one device each straight into a fresh database (registration and
 * identification are not under test), then starts the server on it.
 */
export async function startSignet(dataDir: string, count: number, profileDir?: string): Promise<Target> {
  const now = Date.now();
  const db = Database.open<Schema>({ sqlitePath: join(dataDir, 'signet.db') });
  await db.migrate(migrations);
  for (let start = 0; start < count; start += 500) {
    const indices = Array.from({ length: Math.min(500, count - start) }, (_, i) => start + i);
    await db.db
      .insertInto('accounts')
      .values(
        indices.map((i) =>
          newAccountRow(`+7901${String(i).padStart(7, '0')}`, now, {
            id: accountId(i),
            state: 'identified',
            identified_at: now,
          }),
        ),
      )
      .execute();
    await db.db
      .insertInto('devices')
      .values(
        indices.map((i) => ({
          id: deviceId(i),
          account_id: accountId(i),
          name: 'bench',
          // As packages/server/src/accounts/tokens.ts stores it.
          token_hash: createHash('sha256').update(token(i)).digest('hex'),
          created_at: now,
          last_seen_at: now,
        })),
      )
      .execute();
  }
  await db.close();

  const { base, child } = await startSignetServer(
    dataDir,
    profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [],
  );
  return { name: 'signet', base, process: child, stop: () => stopProcess(child) };
}

/**
 * Starts `signet server` as shipped (development settings, SQLite in `dataDir`) in its own process on a free port,
 * with `nodeOptions` for Node (a profiler), and answers once it is healthy.
 */
export async function startSignetServer(
  dataDir: string,
  nodeOptions: string[] = [],
): Promise<{ base: string; child: ChildProcess }> {
  const port = await freePort();
  const child = spawn(process.execPath, [...nodeOptions, SIGNET, 'server'], {
    cwd: ROOT,
    env: {
      ...process.env,
      SIGNET_ENV: 'development',
      SIGNET_SMS_PROVIDER: 'dev',
      SIGNET_HOST: '127.0.0.1',
      SIGNET_PORT: String(port),
      SIGNET_DATA_DIR: dataDir,
      SIGNET_LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  killOnExit(child);
  const base = `http://127.0.0.1:${port}`;
  await waitFor(async () => (await call(base, 'GET', '/health')).status === 200, child, 'the Signet server');
  return { base, child };
}

/** The bench's devices, each pair in a direct conversation made the way clients make one (create, then commit). */
export async function pairDevices(base: string, count: number): Promise<BenchDevice[]> {
  const devices = Array.from({ length: count }, (_, i) => ({
    index: i,
    accountId: accountId(i),
    deviceId: deviceId(i),
    token: token(i),
    conversationId: `bench-conversation-${String(i >> 1).padStart(6, '0')}`,
  }));
  let next = 0;
  const worker = async () => {
    while (next < count / 2) {
      const k = next++;
      const [a, b] = [devices[2 * k] as BenchDevice, devices[2 * k + 1] as BenchDevice];
      const created = await call(
        base,
        'POST',
        '/v1/conversations',
        { conversationId: a.conversationId, kind: 'direct' },
        a.token,
      );
      const added = await call(
        base,
        'POST',
        `/v1/conversations/${a.conversationId}/messages`,
        {
          clientMessageId: 'add-peer',
          kind: 'commit',
          epoch: 0,
          payload: randomBytes(64).toString('base64url'),
          add: [b.accountId],
          welcome: randomBytes(64).toString('base64url'),
        },
        a.token,
      );
      if (created.status !== 201 || added.status !== 200) {
        throw new Error(`pairing ${k} failed: ${created.status} ${added.status} ${added.text}`);
      }
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  return devices;
}

export async function startRelay(): Promise<Target> {
  const child = spawn(process.execPath, ['--import', 'tsx', RELAY], { cwd: ROOT, stdio: ['pipe', 'pipe', 'inherit'] });
  killOnExit(child);
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the relay did not start')), 30_000);
    lines.once('line', (line) => {
      clearTimeout(timer);
      resolve((JSON.parse(line) as { port: number }).port);
    });
    child.once('exit', (code) => reject(new Error(`the relay exited (${code})`)));
  });
  return { name: 'relay', base: `http://127.0.0.1:${port}`, process: child, stop: () => stopProcess(child) };
}

/**
 * A process's resident memory, sampled: the peak since the last `reset` and the latest value, in MiB;
 * and its CPU time since the last `reset` (user + system, seconds), which stays meaningful on a busy machine.
 */
export class ProcessSampler {
  peak = 0;
  last = 0;
  private cpuAtReset = 0;
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly pid: number) {
    this.sample();
    this.timer = setInterval(() => this.sample(), 100);
    this.timer.unref();
  }

  reset(): void {
    this.sample();
    this.peak = this.last;
    this.cpuAtReset = this.cpuSeconds();
  }

  /** CPU seconds used since the last `reset`. */
  cpu(): number {
    return this.cpuSeconds() - this.cpuAtReset;
  }

  sample(): void {
    try {
      const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${this.pid}/status`, 'utf8'))?.[1] ?? 0);
      this.last = kb / 1024;
      this.peak = Math.max(this.peak, this.last);
    } catch {
      // the process has exited
    }
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private cpuSeconds(): number {
    try {
      // Fields 14 and 15 of /proc/PID/stat, counted after the command name (which may hold spaces).
      const stat = readFileSync(`/proc/${this.pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
    } catch {
      return this.cpuAtReset;
    }
  }
}

/** USER_HZ: what /proc counts CPU time in, 100 on every Linux architecture Node runs on. */
const CLOCK_TICKS = 100;

/** One HTTP call with a JSON body, on a fresh connection (setup only; the load uses its own agent). */
export function call(
  base: string,
  method: string,
  path: string,
  body?: unknown,
  bearer?: string,
): Promise<{ status: number; text: string }> {
  const data = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      `${base}${path}`,
      {
        method,
        headers: {
          ...(data === undefined
            ? {}
            : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) }),
          ...(bearer ? { authorization: `Bearer ${bearer}` } : {}),
        },
        timeout: 30_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString() }));
      },
    );
    req.on('error', reject);
    req.on('timeout', () => req.destroy(new Error(`${method} ${path} timed out`)));
    req.end(data);
  });
}

const accountId = (i: number) => `acc_bench${String(i).padStart(6, '0')}`;
const deviceId = (i: number) => `dev_bench${String(i).padStart(6, '0')}`;
/** A fixed 43-character token per device: only its hash is in the database, as for real sessions. */
const token = (i: number) => createHash('sha256').update(`signet-bench-${i}`).digest('base64url');

export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

export async function waitFor(ready: () => Promise<boolean>, child: ChildProcess, what: string): Promise<void> {
  for (let i = 0; i < 1200 && child.exitCode === null; i++) {
    try {
      if (await ready()) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what} did not start`);
}

/** Whatever happens to the benchmark, its servers do not outlive it. */
export function killOnExit(child: ChildProcess): void {
  const kill = () => child.kill('SIGKILL');
  process.once('exit', kill);
  child.once('exit', () => process.off('exit', kill));
}

export async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}
