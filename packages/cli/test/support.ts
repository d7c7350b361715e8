import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, expect } from 'vitest';
import { TestServer } from '../../server/test/harness';

const BIN = resolve(import.meta.dirname, '../bin/signet.mjs');

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  /** stdout's JSON lines, read when first asked for (a command may print JSON over several lines). */
  readonly json: any[];
}

export interface RunOptions {
  /** The command's environment; by default this process's, with no server or home set. */
  env?: NodeJS.ProcessEnv;
  /** Answers a prompt printed on stderr by typing the answer on stdin. */
  answer?: (prompt: string) => string | undefined;
}

/** Runs `signet …` as a user would, killed after 40 s so that a stuck command fails its test. */
export function signet(args: string[], options: RunOptions = {}): Promise<Run> {
  const { answer } = options;
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: options.env ?? { ...process.env, SIGNET_SERVER: '', SIGNET_HOME: '' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    // Nothing to type: stdin ends at once, as when it is not connected.
    if (!answer) child.stdin.end();
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
      const reply = answer?.(stderr);
      if (reply !== undefined) child.stdin.write(`${reply}\n`);
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 40_000);
    child.on('error', fail);
    child.on('close', (code) => {
      clearTimeout(timer);
      let json: any[] | undefined;
      done({
        code,
        stdout,
        stderr,
        get json() {
          json ??= stdout
            .split('\n')
            .filter((l) => l.startsWith('{'))
            .map((l) => JSON.parse(l));
          return json;
        },
      });
    });
  });
}

export interface CliServer {
  /** The server, started before the suite's tests run. */
  readonly t: TestServer;
  /** A temporary folder for the suite's profiles and files. */
  readonly home: string;
  /** `args` for the user `who`: JSON output, this server, the user's own profile. */
  as(who: string, ...args: string[]): string[];
  /** Registers `who` through the CLI (taking the development code) and marks the account identified. */
  registered(who: string, phone: string): Promise<string>;
  /** Writes the authority's credential file, as `signet authority create --key-out` would, and answers its path. */
  credentialFile(
    file: string,
    credential: { authorityId: string; privateKey: string; name?: string; roles?: string[] },
  ): string;
}

/**
 * Starts a SQLite test server and a profile folder for the suite, and closes both after it.
 * `realTime` sets the server's clock to now: signed authority requests carry the real time.
 */
export function cliServer(folderPrefix: string, options: { realTime?: boolean } = {}): CliServer {
  let t: TestServer | undefined;
  let home: string | undefined;
  beforeAll(async () => {
    t = await TestServer.start('sqlite');
    if (options.realTime) t.clock.advance(Date.now() - t.clock.now());
    home = mkdtempSync(join(tmpdir(), folderPrefix));
  });
  afterAll(async () => {
    await t?.close();
    if (home) rmSync(home, { recursive: true, force: true });
  });
  const started = () => {
    if (!t || !home) throw new Error('the CLI test server is used before it started');
    return { t, home };
  };
  const server: CliServer = {
    get t() {
      return started().t;
    },
    get home() {
      return started().home;
    },
    as: (who, ...args) => [...args, '--json', '--server', server.t.url, '--profile', join(server.home, who)],
    async registered(who, phone) {
      const run = await signet(server.as(who, 'register', phone, '--dev-code'));
      expect(run.code, run.stderr).toBe(0);
      const accountId = run.json[0].accountId as string;
      await server.t.ctx.db.db
        .updateTable('accounts')
        .set({ state: 'identified' })
        .where('id', '=', accountId)
        .execute();
      return accountId;
    },
    credentialFile(file, { authorityId, privateKey, ...rest }) {
      const path = join(server.home, file);
      writeFileSync(
        path,
        JSON.stringify({ type: 'signet-authority-credential', version: 1, authorityId, privateKey, ...rest }),
      );
      return path;
    },
  };
  return server;
}
