import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend.js';
import { CheckpointError } from '../errors.js';
import { MANIFEST_FILE } from './format.js';
import { loadCheckpoint } from './load.js';
import { saveCheckpoint } from './save.js';

const weights = {
  w: { dtype: 'float32' as const, shape: [4, 4], data: Float32Array.from({ length: 16 }, (_, i) => i / 7) },
};

async function freshFolder(): Promise<string> {
  const dir = join(mkdtempSync(join(tmpdir(), 'seqgen-fault-')), 'ckpt');
  await saveCheckpoint(dir, { config: { type: 't' }, weights });
  return dir;
}

async function freshFile(): Promise<string> {
  const path = join(mkdtempSync(join(tmpdir(), 'seqgen-fault-')), 'm.seqgen');
  await saveCheckpoint(path, { config: { type: 't' }, weights });
  return path;
}

function shardOf(dir: string): string {
  return join(dir, readdirSync(dir).find((f) => f.endsWith('.bin')) as string);
}

function editManifest(dir: string, edit: (m: Record<string, unknown>) => void): void {
  const m = JSON.parse(readFileSync(join(dir, MANIFEST_FILE), 'utf8'));
  edit(m);
  writeFileSync(join(dir, MANIFEST_FILE), JSON.stringify(m));
}

async function expectFailure(path: string, reason: string, message: RegExp, options = {}): Promise<void> {
  const error = await loadCheckpoint(path, options).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CheckpointError);
  expect((error as CheckpointError).reason).toBe(reason);
  expect((error as CheckpointError).code).toBe(`ERR_CHECKPOINT_${reason.toUpperCase().replace(/-/g, '_')}`);
  expect((error as Error).message).toMatch(message);
}

describe('checkpoint loading refuses damaged or hostile files', () => {
  beforeAll(async () => {
    await initBackend();
  });

  it('missing checkpoint, manifest or shard', async () => {
    await expectFailure('/nonexistent/seqgen/ckpt', 'not-found', /does not exist/);
    const dir = await freshFolder();
    rmSync(shardOf(dir));
    await expectFailure(dir, 'not-found', /weight file group1-shard1of1-[0-9a-f]+\.bin is missing/);
    rmSync(join(dir, MANIFEST_FILE));
    await expectFailure(dir, 'not-found', /checkpoint\.json is missing/);
  });

  it('truncated or extended weight shard', async () => {
    const dir = await freshFolder();
    truncateSync(shardOf(dir), 60);
    await expectFailure(dir, 'truncated', /holds 60 bytes, manifest says 64/);
    const other = await freshFolder();
    appendFileSync(shardOf(other), Buffer.from([1]));
    await expectFailure(other, 'corrupt', /holds 65 bytes, manifest says 64/);
  });

  it('tampered weights fail the SHA-256 check', async () => {
    const dir = await freshFolder();
    const shard = shardOf(dir);
    const bytes = readFileSync(shard);
    bytes[5] = (bytes[5] as number) ^ 0xff;
    writeFileSync(shard, bytes);
    await expectFailure(dir, 'hash-mismatch', /SHA-256 is [0-9a-f]{64}, manifest says/);
  });

  it('invalid JSON, forbidden keys and oversized manifests', async () => {
    const dir = await freshFolder();
    const text = readFileSync(join(dir, MANIFEST_FILE), 'utf8');
    writeFileSync(join(dir, MANIFEST_FILE), text.slice(0, text.length / 2));
    await expectFailure(dir, 'bad-json', /not valid JSON/);
    writeFileSync(
      join(dir, MANIFEST_FILE),
      text.replace('"metadata": {}', '"metadata": {"__proto__": {"polluted": 1}}'),
    );
    await expectFailure(dir, 'bad-json', /forbidden key "__proto__"/);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    writeFileSync(join(dir, MANIFEST_FILE), text);
    await expectFailure(dir, 'too-large', /over the limit of 100/, { maxManifestBytes: 100 });
    await expectFailure(dir, 'too-large', /64 weight bytes exceed the limit of 10/, { maxWeightBytes: 10 });
  });

  it('unsupported versions, wrong tags and inconsistent manifests', async () => {
    const cases: Array<[(m: Record<string, any>) => void, string, RegExp]> = [
      [(m) => (m.formatVersion = 99), 'unsupported-version', /format version 99 is not supported/],
      [(m) => (m.format = 'keras'), 'invalid-manifest', /"format" must be "seqgen-checkpoint"/],
      [
        (m) => (m.config = { hidden: 3 }),
        'invalid-manifest',
        /"config" must be an object with a non-empty string "type"/,
      ],
      [(m) => (m.preprocessors = 'char'), 'invalid-manifest', /"preprocessors" must be an object/],
      [
        (m) => (m.preprocessors = { tokenizer: { type: 'char' } }),
        'invalid-manifest',
        /preprocessors.tokenizer must be an object with string "type" and number "version"/,
      ],
      [(m) => (m.preprocessors = { '../x': { type: 'c', version: 1 } }), 'invalid-manifest', /preprocessor name/],
      [
        (m) => Object.assign(m, { formatVersion: 1, tokenizer: 'char' }),
        'invalid-manifest',
        /"tokenizer" must be null or an object/,
      ],
      [(m) => (m.weightsManifest[0].weights[0].dtype = 'float64'), 'invalid-manifest', /dtype "float64"/],
      [
        (m) => (m.weightsManifest[0].weights[0].shape = [4, 5]),
        'invalid-manifest',
        /declares 80 bytes of weights but its files hold 64/,
      ],
      [(m) => (m.weightsManifest[0].weights[0].shape = [4, -4]), 'invalid-manifest', /non-negative integers/],
      [
        (m) => m.weightsManifest[0].weights.push({ name: 'w', shape: [0], dtype: 'int32' }),
        'invalid-manifest',
        /weight "w" appears twice/,
      ],
      [(m) => (m.weightsManifest[0].paths = ['../../etc/passwd']), 'unsafe-path', /not a plain file name/],
      [
        (m) => (m.weightFiles = { '/etc/passwd': { bytes: 64, sha256: '0'.repeat(64) } }),
        'unsafe-path',
        /not a plain file name/,
      ],
    ];
    for (const [edit, reason, message] of cases) {
      const dir = await freshFolder();
      editManifest(dir, edit);
      await expectFailure(dir, reason, message);
    }
  });

  it('single files: wrong magic, truncation anywhere, trailing bytes, tampering', async () => {
    const path = await freshFile();
    const good = readFileSync(path);
    writeFileSync(path, Buffer.concat([Buffer.from('PK\x03\x04'), good.subarray(4)]));
    await expectFailure(path, 'corrupt', /does not start with the SEQGENCK magic/);
    for (const length of [0, 10, 40, good.length - 1]) {
      writeFileSync(path, good.subarray(0, length));
      await expectFailure(
        path,
        'truncated',
        /(shorter than the 16-byte header|ends inside its|its header and manifest say)/,
      );
    }
    writeFileSync(path, Buffer.concat([good, Buffer.from([0])]));
    await expectFailure(path, 'corrupt', /1 unexpected bytes after the weights/);
    const tampered = Buffer.from(good);
    tampered[tampered.length - 3] = (tampered[tampered.length - 3] as number) ^ 1;
    writeFileSync(path, tampered);
    await expectFailure(path, 'hash-mismatch', /SHA-256/);
    const huge = Buffer.from(good);
    huge.writeUInt32LE(0xfffffff0, 12);
    writeFileSync(path, huge);
    await expectFailure(path, 'too-large', /declares a 4294967280-byte manifest/);
  });

  it('never writes or silently loads non-finite weights, and keeps the old checkpoint', async () => {
    const dir = await freshFolder();
    const bad = Float32Array.of(1, Number.NaN);
    const error = await saveCheckpoint(dir, {
      config: { type: 't2' },
      weights: { w: { dtype: 'float32', shape: [2], data: bad } },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CheckpointError);
    expect((error as CheckpointError).reason).toBe('non-finite');
    expect((error as Error).message).toMatch(/weight "w" holds NaN at index 1/);
    expect((await loadCheckpoint(dir)).config.type).toBe('t');

    await saveCheckpoint(
      dir,
      { config: { type: 't3' }, weights: { w: { dtype: 'float32', shape: [2], data: bad } } },
      { allowNonFinite: true },
    );
    await expectFailure(dir, 'non-finite', /weight "w" holds NaN at index 1/);
    expect(Number.isNaN((await loadCheckpoint(dir, { allowNonFinite: true })).weights.w?.data[1])).toBe(true);
  });

  it('rejects invalid weights and configs at save time with the weight named', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'seqgen-fault-')), 'x');
    const cases: Array<[Parameters<typeof saveCheckpoint>[1], RegExp]> = [
      [{ config: { type: '' }, weights: {} }, /non-empty string "type"/],
      [
        { config: { type: 't' }, weights: { k: { dtype: 'float32', shape: [3], data: new Float32Array(2) } } },
        /weight "k" has 2 values but shape \[3\] needs 3/,
      ],
      [
        { config: { type: 't' }, weights: { k: { dtype: 'int32', shape: [2], data: new Float32Array(2) } } },
        /weight "k" holds Float32Array data; int32 needs Int32Array/,
      ],
      [{ config: { type: 't' }, weights: { k: tf.tensor1d(['a'], 'string') } }, /weight "k" has dtype string/],
    ];
    for (const [data, message] of cases) {
      await expect(saveCheckpoint(dir, data)).rejects.toThrow(message);
    }
    const disposed = tf.tensor1d([1]);
    disposed.dispose();
    await expect(saveCheckpoint(dir, { config: { type: 't' }, weights: { d: disposed } })).rejects.toThrow(
      /disposed tensor/,
    );
  });
});
