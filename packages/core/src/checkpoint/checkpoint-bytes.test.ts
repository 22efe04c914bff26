import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CheckpointError, ConfigError } from '../errors.js';
import { loadCheckpoint } from './load.js';
import { encodeCheckpoint, saveCheckpoint } from './save.js';
import { HEADER_BYTES } from './single-file.js';

const data = {
  config: { type: 'lstm-lm', hidden: 3 },
  preprocessors: { tokenizer: { type: 'char', version: 1, vocab: ['a', 'b'] } },
  metadata: { step: 4 },
  weights: {
    kernel: { dtype: 'float32' as const, shape: [2, 3], data: Float32Array.of(0.5, -1, 2, 3.25, -0.125, 7) },
    ids: { dtype: 'int32' as const, shape: [2], data: Int32Array.of(-3, 9) },
  },
};

async function reason(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CheckpointError);
  return (error as CheckpointError).reason;
}

describe('checkpoints as bytes', () => {
  it('encodeCheckpoint gives the .seqgen file layout, and loads back from Uint8Array, ArrayBuffer, DataView and Blob', async () => {
    const bytes = await encodeCheckpoint(data);
    expect(new TextDecoder().decode(bytes.subarray(0, 8))).toBe('SEQGENCK');
    const dir = mkdtempSync(join(tmpdir(), 'seqgen-bytes-'));
    await saveCheckpoint(join(dir, 'm.seqgen'), data);
    const file = new Uint8Array(readFileSync(join(dir, 'm.seqgen')));
    // Same layout as the file: only the manifest's createdAt may differ, so the sizes match exactly.
    expect(file.byteLength).toBe(bytes.byteLength);
    const copy = bytes.slice().buffer;
    for (const source of [bytes, copy, new DataView(copy), new Blob([bytes]), file]) {
      const loaded = await loadCheckpoint(source);
      expect(loaded.config).toEqual(data.config);
      expect(loaded.preprocessors).toEqual(data.preprocessors);
      expect(loaded.metadata).toEqual({ step: 4 });
      expect(Array.from(loaded.weights.kernel?.data ?? [])).toEqual([0.5, -1, 2, 3.25, -0.125, 7]);
      expect(Array.from(loaded.weights.ids?.data ?? [])).toEqual([-3, 9]);
    }
  });

  it('refuses damaged bytes with the same checks as a file', async () => {
    const bytes = await encodeCheckpoint(data);
    expect(await reason(loadCheckpoint(bytes.subarray(0, 10)))).toBe('truncated');
    expect(await reason(loadCheckpoint(bytes.subarray(0, bytes.byteLength - 1)))).toBe('truncated');
    const flipped = bytes.slice();
    flipped[flipped.byteLength - 1] = (flipped[flipped.byteLength - 1] as number) ^ 1;
    expect(await reason(loadCheckpoint(flipped))).toBe('hash-mismatch');
    const magic = bytes.slice();
    magic[0] = 0x58;
    expect(await reason(loadCheckpoint(magic))).toBe('corrupt');
    const longer = new Uint8Array(bytes.byteLength + 1);
    longer.set(bytes);
    expect(await reason(loadCheckpoint(longer))).toBe('corrupt');
    const version = bytes.slice();
    new DataView(version.buffer).setUint32(8, 99, true);
    expect(await reason(loadCheckpoint(version))).toBe('unsupported-version');
    const json = bytes.slice();
    json[HEADER_BYTES] = 0x5b; // '[' where the manifest's '{' was
    expect(await reason(loadCheckpoint(json))).toBe('bad-json');
  });

  it('applies the size limits: a manifest or payload over them, and a Blob over them before reading it', async () => {
    const bytes = await encodeCheckpoint(data);
    expect(await reason(loadCheckpoint(bytes, { maxManifestBytes: 64 }))).toBe('too-large');
    expect(await reason(loadCheckpoint(bytes, { maxWeightBytes: 8 }))).toBe('too-large');
    const blob = new Blob([bytes]);
    blob.arrayBuffer = () => Promise.reject(new Error('read a Blob that is over the limit'));
    const error = await loadCheckpoint(blob, { maxManifestBytes: 10, maxWeightBytes: 10 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CheckpointError);
    expect((error as CheckpointError).reason).toBe('too-large');
    expect((error as Error).message).toContain(`the Blob is ${bytes.byteLength} bytes, over the limit of 36`);
  });

  it('names what was wrong with a source that is none of the accepted kinds', async () => {
    const error = await loadCheckpoint(42 as never).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(
      /^source: expected a path, a URL, "indexeddb:\/\/name", an ArrayBuffer, a Uint8Array or a Blob, got 42/,
    );
  });

  it('refuses non-finite weights in bytes as in files, and to encode them', async () => {
    const bad = {
      ...data,
      weights: { w: { dtype: 'float32' as const, shape: [1], data: Float32Array.of(Number.NaN) } },
    };
    expect(await reason(encodeCheckpoint(bad))).toBe('non-finite');
    const bytes = await encodeCheckpoint(bad, { allowNonFinite: true });
    expect(await reason(loadCheckpoint(bytes))).toBe('non-finite');
    expect(Number.isNaN((await loadCheckpoint(bytes, { allowNonFinite: true })).weights.w?.data[0])).toBe(true);
  });
});
