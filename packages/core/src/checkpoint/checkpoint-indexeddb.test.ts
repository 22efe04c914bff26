import { IDBFactory } from 'fake-indexeddb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CheckpointError, ConfigError } from '../errors.js';
import { deleteIndexedDbCheckpoint, INDEXEDDB_DATABASE, writeIndexedDb } from './indexeddb.js';
import { loadCheckpoint } from './load.js';
import { encodeCheckpoint, saveCheckpoint } from './save.js';

const global = globalThis as { indexedDB?: unknown };
const data = (scale: number) => ({
  config: { type: 'gru-lm', hidden: 2 },
  metadata: { scale },
  weights: { w: { dtype: 'float32' as const, shape: [2, 2], data: Float32Array.of(1, 2, 3, 4).map((v) => v * scale) } },
});

async function failure(promise: Promise<unknown>): Promise<Error> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(Error);
  return error as Error;
}

// fake-indexeddb is a complete IndexedDB (it passes the W3C test suite), installed as the global only here.
describe('checkpoints in IndexedDB (fake-indexeddb)', () => {
  beforeAll(() => {
    global.indexedDB = new IDBFactory();
  });
  afterAll(() => {
    delete global.indexedDB;
  });

  it('saves to indexeddb://name, loads it back, and replaces it on the next save', async () => {
    const manifest = await saveCheckpoint('indexeddb://lm', data(1));
    expect(manifest.weightsManifest[0]?.paths).toEqual(['payload.bin']);
    expect(Array.from((await loadCheckpoint('indexeddb://lm')).weights.w?.data ?? [])).toEqual([1, 2, 3, 4]);
    await saveCheckpoint('indexeddb://lm', data(2));
    await saveCheckpoint('indexeddb://other', data(3));
    const loaded = await loadCheckpoint('indexeddb://lm');
    expect(loaded.metadata).toEqual({ scale: 2 });
    expect(Array.from(loaded.weights.w?.data ?? [])).toEqual([2, 4, 6, 8]);
    expect((await loadCheckpoint('indexeddb://other')).metadata).toEqual({ scale: 3 });
    expect(INDEXEDDB_DATABASE).toBe('seqgen-checkpoints');
  });

  it('checks stored bytes like a file: tampered, truncated, not bytes, absent', async () => {
    const bytes = await encodeCheckpoint(data(1));
    const tampered = bytes.slice();
    tampered[tampered.byteLength - 2] = (tampered[tampered.byteLength - 2] as number) ^ 4;
    await writeIndexedDb('indexeddb://tampered', tampered);
    expect((await failure(loadCheckpoint('indexeddb://tampered'))) as CheckpointError).toMatchObject({
      reason: 'hash-mismatch',
    });
    await writeIndexedDb('indexeddb://short', bytes.subarray(0, 20));
    expect(await failure(loadCheckpoint('indexeddb://short'))).toMatchObject({ reason: 'truncated' });
    await writeIndexedDb('indexeddb://text', 'not bytes' as unknown as Uint8Array);
    expect(await failure(loadCheckpoint('indexeddb://text'))).toMatchObject({ reason: 'corrupt' });
    expect(await failure(loadCheckpoint('indexeddb://never-saved'))).toMatchObject({ reason: 'not-found' });
    await saveCheckpoint('indexeddb://gone', data(1));
    await deleteIndexedDbCheckpoint('indexeddb://gone');
    expect(await failure(loadCheckpoint('indexeddb://gone'))).toMatchObject({ reason: 'not-found' });
  });

  it('names the problem when the name is empty or IndexedDB is missing', async () => {
    const empty = await failure(saveCheckpoint('indexeddb://', data(1)));
    expect(empty).toBeInstanceOf(ConfigError);
    expect(empty.message).toContain('needs a name of 1 to 256 characters');
    const idb = global.indexedDB;
    delete global.indexedDB;
    try {
      const missing = await failure(loadCheckpoint('indexeddb://lm'));
      expect(missing).toBeInstanceOf(CheckpointError);
      expect(missing.message).toContain('IndexedDB is not available here');
    } finally {
      global.indexedDB = idb;
    }
  });
});
