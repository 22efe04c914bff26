import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend.js';
import { Rng } from '../rng.js';
import { CHECKPOINT_FORMAT_VERSION, MANIFEST_FILE } from './format.js';
import { loadCheckpoint } from './load.js';
import { saveCheckpoint } from './save.js';
import { weightsToTensors } from './weights.js';

const tokenizer = { type: 'char', version: 1, vocab: ['a', 'b', 'c'] };

function randomFloats(rng: Rng, n: number): Float32Array {
  return Float32Array.from({ length: n }, () => rng.normal());
}

describe('checkpoint round trip', () => {
  beforeAll(async () => {
    await initBackend();
  });

  for (const name of ['ckpt', 'model.seqgen']) {
    it(`saves and loads config, named preprocessors, metadata and every dtype (${name})`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'seqgen-ckpt-'));
      const path = join(dir, name);
      const rng = new Rng(11);
      const kernel = randomFloats(rng, 6 * 8);
      const saved = await saveCheckpoint(path, {
        config: { type: 'lstm-lm', hidden: 8, layers: [1, 2] },
        preprocessors: { tokenizer, target: { type: 'word', version: 2, vocab: ['x'] } },
        metadata: { step: 12, rng: [...rng.getState()] },
        weights: {
          'lstm/kernel': tf.tensor2d(kernel, [6, 8]),
          'embedding/ids': { dtype: 'int32', shape: [4], data: Int32Array.of(-1, 0, 7, 2 ** 31 - 1) },
          mask: tf.tensor1d([true, false, true], 'bool'),
          scalar: { dtype: 'float32', shape: [], data: Float32Array.of(Math.PI) },
          empty: { dtype: 'float32', shape: [0, 3], data: new Float32Array(0) },
        },
      });
      expect(saved.formatVersion).toBe(CHECKPOINT_FORMAT_VERSION);
      const loaded = await loadCheckpoint(path);
      expect(loaded.config).toEqual({ type: 'lstm-lm', hidden: 8, layers: [1, 2] });
      expect(loaded.preprocessors).toEqual({ tokenizer, target: { type: 'word', version: 2, vocab: ['x'] } });
      expect(loaded.metadata).toEqual({ step: 12, rng: [...rng.getState()] });
      expect(Object.keys(loaded.weights)).toEqual(['lstm/kernel', 'embedding/ids', 'mask', 'scalar', 'empty']);
      expect(loaded.weights['lstm/kernel']).toEqual({ dtype: 'float32', shape: [6, 8], data: kernel });
      expect(Array.from(loaded.weights['embedding/ids']?.data ?? [])).toEqual([-1, 0, 7, 2 ** 31 - 1]);
      expect(Array.from(loaded.weights.mask?.data ?? [])).toEqual([1, 0, 1]);
      expect(loaded.weights.scalar?.data[0]).toBe(Math.fround(Math.PI));
      expect(loaded.weights.empty?.shape).toEqual([0, 3]);

      const tensors = weightsToTensors(loaded.weights);
      expect(tensors.mask?.dtype).toBe('bool');
      expect(Array.from(await (tensors['lstm/kernel'] as tf.Tensor).data())).toEqual(Array.from(kernel));
      tf.dispose(Object.values(tensors));
    });
  }

  it('reads a version-1 checkpoint: its single tokenizer slot becomes the "tokenizer" preprocessor', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'seqgen-ckpt-')), 'v1');
    await saveCheckpoint(dir, { config: { type: 't' }, preprocessors: { tokenizer }, weights: {} });
    const manifest = JSON.parse(readFileSync(join(dir, MANIFEST_FILE), 'utf8'));
    // Rewrite the manifest as a version-1 writer did.
    const { preprocessors: _, ...rest } = manifest;
    writeFileSync(join(dir, MANIFEST_FILE), JSON.stringify({ ...rest, formatVersion: 1, tokenizer }));
    const loaded = await loadCheckpoint(dir);
    expect(loaded.manifest.formatVersion).toBe(1);
    expect(loaded.preprocessors).toEqual({ tokenizer });
    writeFileSync(join(dir, MANIFEST_FILE), JSON.stringify({ ...rest, formatVersion: 1, tokenizer: null }));
    expect((await loadCheckpoint(dir)).preprocessors).toEqual({});
  });

  it('refuses badly named or untyped preprocessors before writing anything', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'seqgen-ckpt-')), 'bad');
    const save = (preprocessors: unknown) =>
      saveCheckpoint(dir, { config: { type: 't' }, preprocessors: preprocessors as never, weights: {} });
    await expect(save({ 'a/b': tokenizer })).rejects.toThrow(/preprocessor name "a\/b"/);
    await expect(save({ source: { type: 'char' } })).rejects.toThrow(/preprocessors.source needs a string "type"/);
    expect(existsSync(dir)).toBe(false);
  });

  it('uses the tfjs weights-manifest layout and shards large payloads', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'seqgen-ckpt-')), 'sharded');
    const data = randomFloats(new Rng(5), 1000);
    await saveCheckpoint(
      dir,
      { config: { type: 't' }, weights: { w: { dtype: 'float32', shape: [1000], data } } },
      { shardBytes: 1024 },
    );
    const manifest = JSON.parse(readFileSync(join(dir, MANIFEST_FILE), 'utf8'));
    expect(manifest.weightsManifest[0].weights).toEqual([{ name: 'w', shape: [1000], dtype: 'float32' }]);
    expect(manifest.weightsManifest[0].paths).toHaveLength(4);
    expect(readdirSync(dir).filter((f: string) => f.endsWith('.bin'))).toHaveLength(4);
    // The shards concatenated are the raw little-endian float32 data, exactly as tfjs lays them out.
    const raw = Buffer.concat(manifest.weightsManifest[0].paths.map((p: string) => readFileSync(join(dir, p))));
    expect(new Float32Array(raw.buffer, raw.byteOffset, 1000)).toEqual(data);
    expect((await loadCheckpoint(dir)).weights.w?.data).toEqual(data);
  });

  it('replaces an older checkpoint and removes its stale shards', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'seqgen-ckpt-')), 'over');
    for (const v of [1, 2, 3]) {
      await saveCheckpoint(dir, {
        config: { type: 't', v },
        weights: { w: { dtype: 'float32', shape: [2], data: Float32Array.of(v, v) } },
      });
    }
    expect(readdirSync(dir).sort()).toHaveLength(2); // checkpoint.json + one shard
    expect((await loadCheckpoint(dir)).config.v).toBe(3);
  });
});
