import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { KeyStore } from './key-store';

/**
 * The Node key store: one file per key in the profile folder, readable only by its owner, written
 * atomically (a temporary file renamed over the old one), so a crash never leaves half a key.
 */
export class FileKeyStore implements KeyStore {
  constructor(private readonly dir: string) {}

  private path(key: string): string {
    return join(this.dir, `${encodeURIComponent(key)}.bin`);
  }

  async get(key: string) {
    try {
      return new Uint8Array(await readFile(this.path(key)));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  async put(key: string, value: Uint8Array) {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    const tmp = `${this.path(key)}.${process.pid}.tmp`;
    await writeFile(tmp, value, { mode: 0o600 });
    await rename(tmp, this.path(key));
  }

  async delete(key: string) {
    await rm(this.path(key), { force: true });
  }

  async list(prefix: string) {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch {
      return [];
    }
    return names
      .filter((n) => n.endsWith('.bin'))
      .map((n) => decodeURIComponent(n.slice(0, -4)))
      .filter((k) => k.startsWith(prefix))
      .sort();
  }
}
