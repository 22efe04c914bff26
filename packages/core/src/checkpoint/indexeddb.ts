import { CheckpointError, ConfigError } from '../errors.js';

/** Scheme of checkpoint locations kept in the browser's IndexedDB: `indexeddb://my-model`. */
export const INDEXEDDB_SCHEME = 'indexeddb://';
/** The IndexedDB database seqgen keeps checkpoints in. */
export const INDEXEDDB_DATABASE = 'seqgen-checkpoints';
/** Its object store: one single-file checkpoint (bytes) per name. */
const STORE = 'checkpoints';

// The few IndexedDB shapes used here (this package compiles without the DOM library).
interface Request<T> {
  result: T;
  error: unknown;
  onsuccess: (() => void) | null;
  onerror: (() => void) | null;
}
interface OpenRequest extends Request<Database> {
  onupgradeneeded: (() => void) | null;
  onblocked: (() => void) | null;
}
interface Database {
  objectStoreNames: { contains(name: string): boolean };
  createObjectStore(name: string): unknown;
  transaction(store: string, mode: 'readonly' | 'readwrite'): Transaction;
  close(): void;
}
interface Transaction {
  objectStore(name: string): {
    get(key: string): Request<unknown>;
    put(value: unknown, key: string): Request<unknown>;
    delete(key: string): Request<unknown>;
  };
  oncomplete: (() => void) | null;
  onerror: (() => void) | null;
  onabort: (() => void) | null;
  error: unknown;
}
interface Factory {
  open(name: string, version?: number): OpenRequest;
}

/** Whether `location` names an IndexedDB checkpoint. */
export function isIndexedDbLocation(location: string): boolean {
  return location.startsWith(INDEXEDDB_SCHEME);
}

/** The key inside the store: the text after `indexeddb://`, 1 to 256 characters. */
export function indexedDbKey(location: string): string {
  const key = location.slice(INDEXEDDB_SCHEME.length);
  if (key.length === 0 || key.length > 256) {
    throw new ConfigError(
      'location',
      `${JSON.stringify(location.slice(0, 300))} needs a name of 1 to 256 characters after ${INDEXEDDB_SCHEME}`,
    );
  }
  return key;
}

function factory(location: string): Factory {
  const idb = (globalThis as { indexedDB?: Factory }).indexedDB;
  if (!idb) {
    throw new CheckpointError(
      'io',
      location,
      'IndexedDB is not available here (browsers and workers have it; in Node, use a file path or install fake-indexeddb)',
    );
  }
  return idb;
}

function settle<T>(request: Request<T>, location: string, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () =>
      reject(
        new CheckpointError('io', location, `IndexedDB ${what} failed: ${String(request.error)}`, {
          cause: request.error,
        }),
      );
  });
}

async function openDatabase(location: string): Promise<Database> {
  const request = factory(location).open(INDEXEDDB_DATABASE, 1);
  request.onupgradeneeded = () => {
    if (!request.result.objectStoreNames.contains(STORE)) request.result.createObjectStore(STORE);
  };
  request.onblocked = () => undefined;
  return settle(request, location, 'open');
}

async function withStore<T>(
  location: string,
  mode: 'readonly' | 'readwrite',
  work: (store: ReturnType<Transaction['objectStore']>) => Request<T>,
): Promise<T> {
  const db = await openDatabase(location);
  try {
    const tx = db.transaction(STORE, mode);
    const done = new Promise<void>((resolve, reject) => {
      tx.oncomplete = () => resolve();
      const fail = () =>
        reject(
          new CheckpointError('io', location, `IndexedDB transaction failed: ${String(tx.error)}`, { cause: tx.error }),
        );
      tx.onerror = fail;
      tx.onabort = fail;
    });
    const result = settle(work(tx.objectStore(STORE)), location, mode === 'readonly' ? 'read' : 'write');
    const [value] = await Promise.all([result, done]);
    return value;
  } finally {
    db.close();
  }
}

/** The stored single-file bytes of `indexeddb://name`; a missing name is a 'not-found' CheckpointError. */
export async function readIndexedDb(location: string): Promise<Uint8Array> {
  const key = indexedDbKey(location);
  const value = await withStore(location, 'readonly', (store) => store.get(key));
  if (value === undefined) throw new CheckpointError('not-found', location, 'no checkpoint of that name in IndexedDB');
  if (value instanceof Uint8Array) return value;
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  throw new CheckpointError('corrupt', location, 'the IndexedDB entry is not checkpoint bytes');
}

/** Stores single-file checkpoint bytes under `indexeddb://name`, replacing what was there in one transaction. */
export async function writeIndexedDb(location: string, bytes: Uint8Array): Promise<void> {
  const key = indexedDbKey(location);
  await withStore(location, 'readwrite', (store) => store.put(bytes, key));
}

/** Deletes `indexeddb://name` (nothing happens when it is absent). */
export async function deleteIndexedDbCheckpoint(location: string): Promise<void> {
  const key = indexedDbKey(location);
  await withStore(location, 'readwrite', (store) => store.delete(key));
}
