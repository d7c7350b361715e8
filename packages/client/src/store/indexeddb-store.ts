import type { KeyStore } from './key-store';

/** The browser's key store: one IndexedDB object store; values are bytes. */
export class IndexedDbKeyStore implements KeyStore {
  private dbPromise: Promise<IDBDatabase> | undefined;

  constructor(
    private readonly name = 'signet',
    private readonly storeName = 'keys',
  ) {}

  private db(): Promise<IDBDatabase> {
    this.dbPromise ??= new Promise((resolve, reject) => {
      const req = indexedDB.open(this.name, 1);
      req.onupgradeneeded = () => req.result.createObjectStore(this.storeName);
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
    return this.dbPromise;
  }

  private async run<T>(mode: IDBTransactionMode, op: (s: IDBObjectStore) => IDBRequest<T>): Promise<T> {
    const db = await this.db();
    return new Promise((resolve, reject) => {
      const tx = db.transaction(this.storeName, mode);
      const req = op(tx.objectStore(this.storeName));
      tx.oncomplete = () => resolve(req.result);
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error);
    });
  }

  async get(key: string) {
    const v = await this.run<unknown>('readonly', (s) => s.get(key));
    return v instanceof Uint8Array ? v : v instanceof ArrayBuffer ? new Uint8Array(v) : undefined;
  }

  async put(key: string, value: Uint8Array) {
    await this.run('readwrite', (s) => s.put(new Uint8Array(value), key));
  }

  async delete(key: string) {
    await this.run('readwrite', (s) => s.delete(key));
  }

  async list(prefix: string) {
    const keys = await this.run('readonly', (s) => s.getAllKeys(IDBKeyRange.bound(prefix, `${prefix}\uffff`)));
    return keys.map(String).sort();
  }
}
