import { closeSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline/promises';
import {
  createSignetClient,
  FileKeyStore,
  getJson,
  nodeWebSocketFactory,
  type SessionRecord,
  type SignetClient,
} from '@signet/client/node';

/** Options every chat command takes. */
export interface ChatOptions {
  json?: boolean;
  server?: string;
  profile?: string;
}

export const DEFAULT_SERVER = 'http://localhost:8080';

/** The profile folder: --profile, else SIGNET_HOME, else ~/.signet. */
export function profileDir(options: ChatOptions): string {
  return resolve(options.profile ?? process.env.SIGNET_HOME ?? join(homedir(), '.signet'));
}

export interface Profile {
  dir: string;
  client: SignetClient;
  /** Stops the client and releases the profile. */
  close(): void;
}

/**
 * Opens the profile's key store and a client on it. The server is --server, else the one the profile
 * registered with, else SIGNET_SERVER, else localhost. One process per profile at a time: two would
 * both advance the same MLS groups and reuse message keys.
 */
export async function openProfile(options: ChatOptions): Promise<Profile> {
  const dir = profileDir(options);
  const release = lockProfile(dir);
  try {
    const store = new FileKeyStore(dir);
    const stored = await getJson<SessionRecord>(store, 'session');
    const baseUrl = options.server ?? stored?.serverUrl ?? process.env.SIGNET_SERVER ?? DEFAULT_SERVER;
    const client = await createSignetClient({ baseUrl, store, webSocketFactory: nodeWebSocketFactory });
    return {
      dir,
      client,
      close() {
        client.stop();
        release();
      },
    };
  } catch (error) {
    release();
    throw error;
  }
}

function lockProfile(dir: string): () => void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const path = join(dir, 'lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx', 0o600);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => {
        try {
          unlinkSync(path);
        } catch {
          // already gone
        }
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const pid = Number(readFileSync(path, 'utf8'));
      if (Number.isInteger(pid) && pid > 0 && isAlive(pid)) {
        throw new Error(`the profile ${dir} is in use by process ${pid} (a running "signet listen"?); stop it first`);
      }
      unlinkSync(path); // left by a process that died
    }
  }
  throw new Error(`cannot lock the profile ${dir}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Asks a question on the terminal (the answer read from stdin). */
export async function ask(question: string): Promise<string> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return (await rl.question(question)).trim();
  } finally {
    rl.close();
  }
}
