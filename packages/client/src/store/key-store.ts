/**
 * Where a device keeps its secrets and state: keys, MLS group states, the session token, contacts'
 * known fingerprints. A file store in Node, IndexedDB in the browser, memory in tests.
 */
export interface KeyStore {
  get(key: string): Promise<Uint8Array | undefined>;
  put(key: string, value: Uint8Array): Promise<void>;
  delete(key: string): Promise<void>;
  /** Keys that start with the prefix. */
  list(prefix: string): Promise<string[]>;
}

export class MemoryKeyStore implements KeyStore {
  private readonly entries = new Map<string, Uint8Array>();

  async get(key: string) {
    const v = this.entries.get(key);
    return v ? new Uint8Array(v) : undefined;
  }

  async put(key: string, value: Uint8Array) {
    this.entries.set(key, new Uint8Array(value));
  }

  async delete(key: string) {
    this.entries.delete(key);
  }

  async list(prefix: string) {
    return [...this.entries.keys()].filter((k) => k.startsWith(prefix)).sort();
  }
}

const text = new TextEncoder();
const untext = new TextDecoder();

/** JSON values on top of a byte store. */
export async function getJson<T>(store: KeyStore, key: string): Promise<T | undefined> {
  const bytes = await store.get(key);
  return bytes ? (JSON.parse(untext.decode(bytes)) as T) : undefined;
}

export async function putJson(store: KeyStore, key: string, value: unknown): Promise<void> {
  await store.put(key, text.encode(JSON.stringify(value)));
}
