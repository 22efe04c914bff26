import { mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '@seqgen/core';
import { readMobyDick } from '@seqgen/test-utils';
import { afterAll, describe, expect, it } from 'vitest';
import { ShardError } from './shard-error.js';
import { StreamBatcher } from './stream-batcher.js';
import { TokenShardBatcher } from './token-shard-batcher.js';
import { writeTokenShards } from './token-shard-writer.js';
import { openTokenShards } from './token-shards.js';

const root = mkdtempSync(join(tmpdir(), 'seqgen-shards-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

// Real text as ids: Moby-Dick's UTF-16 code units (< 65536, so uint16 shards).
const text = readMobyDick().slice(30_000, 70_000);
const ids = Array.from(text, (c) => c.charCodeAt(0));
const trainIds = ids.slice(0, 36_000);
const heldIds = ids.slice(36_000);
const tokenizer = { type: 'char', note: 'code units' };

let count = 0;
/** Writes a shard set of `trainIds`/`heldIds`, fed in uneven pieces, small shards so reads cross files. */
function writeSet(shardBytes = 10_000, vocabSize = 65536): string {
  const dir = join(root, `set-${count++}`);
  const w = writeTokenShards(dir, { vocabSize, tokenizer, shardBytes, source: { test: true } });
  for (let at = 0; at < trainIds.length; at += 7_777) w.write('train', trainIds.slice(at, at + 7_777));
  w.write('heldout', heldIds);
  w.finish();
  return dir;
}

describe('token shards', () => {
  const dir = writeSet();

  it('writes raw little-endian uint16 files that hold exactly the ids, rolled at the size limit', () => {
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
    expect(manifest.format).toBe('seqgen-token-shards');
    expect(manifest.dtype).toBe('uint16');
    // 36,000 ids × 2 bytes at 10,000 bytes a file: 5,000 ids per file → 8 files (the last holds 1,000).
    const train = manifest.shards.filter((s: { split: string }) => s.split === 'train');
    expect(train.map((s: { tokens: number }) => s.tokens)).toEqual([5000, 5000, 5000, 5000, 5000, 5000, 5000, 1000]);
    expect(train[0].file).toBe('train-00000.bin');
    const bytes = readFileSync(join(dir, 'train-00001.bin'));
    expect(bytes.length).toBe(10_000);
    expect(bytes.readUInt16LE(0)).toBe(trainIds[5000]);
    expect(bytes.readUInt16LE(9_998)).toBe(trainIds[9999]);
    expect(manifest.shards.at(-1)).toMatchObject({ file: 'heldout-00000.bin', split: 'heldout', tokens: 4000 });
    expect(manifest.source).toEqual({ test: true });
  });

  it('reads any range of a split across shard files', () => {
    const shards = openTokenShards(dir, { verify: 'sha256' });
    expect(shards.tokenCount('train')).toBe(36_000);
    expect(shards.tokenCount('heldout')).toBe(4_000);
    expect(Array.from(shards.read('train', 4_990, 30))).toEqual(trainIds.slice(4_990, 5_020));
    expect(Array.from(shards.read('train', 0, 36_000))).toEqual(trainIds);
    expect(Array.from(shards.read('heldout', 3_999, 1))).toEqual([heldIds[3_999]]);
    expect(() => shards.read('train', 35_990, 11)).toThrow(ConfigError);
    shards.close();
  });

  it('stores uint32 ids when the vocabulary exceeds 65536', () => {
    const d = writeSet(1 << 20, 70_000);
    const shards = openTokenShards(d);
    expect(shards.manifest.dtype).toBe('uint32');
    expect(readFileSync(join(d, 'train-00000.bin')).length).toBe(36_000 * 4);
    expect(Array.from(shards.read('train', 100, 5))).toEqual(trainIds.slice(100, 105));
    shards.close();
  });

  it('batches equal StreamBatcher over the same ids, epoch offsets and all', () => {
    const shards = openTokenShards(dir);
    const options = { batchSize: 4, seqLength: 50, seed: 7 };
    // A small read-ahead makes lanes refill from disk many times per epoch.
    const fromDisk = new TokenShardBatcher({ shards, ...options, readAheadTokens: 120 });
    const inMemory = new StreamBatcher({ documents: [trainIds], ...options });
    expect(fromDisk.batchesPerEpoch).toBe(inMemory.batchesPerEpoch);
    // Past two epoch ends (≈179 batches each).
    for (let i = 0; i < 400; i++) {
      const a = fromDisk.next();
      const b = inMemory.next();
      expect(a).toEqual(b);
    }
    // And the batch holds the tokens at those offsets in the files.
    const first = new TokenShardBatcher({ shards, ...options, randomOffset: false }).next();
    const lane = Math.floor((36_000 - 1) / 4);
    expect(Array.from(first.inputs.subarray(50, 100))).toEqual(trainIds.slice(lane, lane + 50));
    expect(Array.from(first.targets.subarray(50, 100))).toEqual(trainIds.slice(lane + 1, lane + 51));
    shards.close();
  });

  it('resumes exactly: a fresh batcher given the saved state continues with the same batches', () => {
    const options = { batchSize: 3, seqLength: 64, seed: 11 };
    const straight = new TokenShardBatcher({ shards: openTokenShards(dir), ...options });
    const expected = Array.from({ length: 420 }, () => straight.next());
    const first = new TokenShardBatcher({ shards: openTokenShards(dir), ...options });
    for (let i = 0; i < 250; i++) first.next();
    // As a checkpoint stores it: JSON.
    const saved = JSON.parse(JSON.stringify(first.getState()));
    const resumed = new TokenShardBatcher({ shards: openTokenShards(dir), ...options, seed: 999 });
    resumed.setState(saved);
    for (let i = 250; i < 420; i++) expect(resumed.next()).toEqual(expected[i]);
    expect(expected[419]?.epoch).toBeGreaterThan(expected[0]?.epoch ?? 0);
    expect(() => resumed.setState({ epoch: 0, index: 0, offset: 64, rng: [1, 2, 3, 4] })).toThrow(ConfigError);
  });

  it('refuses a batch larger than the split', () => {
    expect(() => new TokenShardBatcher({ shards: openTokenShards(dir), batchSize: 1000, seqLength: 64 })).toThrow(
      /batch larger than data: 1000 lanes × 64 steps need more than 36000 train tokens/,
    );
  });
});

describe('hostile shard sets', () => {
  const fail = (d: string): ShardError => {
    try {
      openTokenShards(d);
    } catch (error) {
      expect(error).toBeInstanceOf(ShardError);
      return error as ShardError;
    }
    throw new Error('opened');
  };

  it('a truncated shard is named', () => {
    const d = writeSet();
    truncateSync(join(d, 'train-00003.bin'), 9_999);
    const e = fail(d);
    expect(e.reason).toBe('truncated');
    expect(e.code).toBe('ERR_SHARD_TRUNCATED');
    expect(e.message).toBe(`${join(d, 'train-00003.bin')}: holds 9999 bytes; 5000 uint16 tokens need 10000`);
  });

  it('a missing or grown shard, a bad checksum', () => {
    const d = writeSet();
    rmSync(join(d, 'heldout-00000.bin'));
    expect(fail(d).message).toBe(`${join(d, 'heldout-00000.bin')}: listed in the manifest but missing`);
    const g = writeSet();
    writeFileSync(join(g, 'train-00000.bin'), Buffer.alloc(10_002));
    expect(fail(g).reason).toBe('oversized');
    const c = writeSet();
    const bytes = readFileSync(join(c, 'train-00002.bin'));
    // Same size, different bytes: only the hash catches it.
    bytes[7] = (bytes[7] as number) ^ 1;
    writeFileSync(join(c, 'train-00002.bin'), bytes);
    expect(openTokenShards(c).tokenCount('train')).toBe(36_000);
    expect(() => openTokenShards(c, { verify: 'sha256' })).toThrow(/train-00002\.bin: SHA-256 differs/);
  });

  it('a folder without a manifest is unfinished; a foreign or wrong-dtype manifest is refused', () => {
    const d = join(root, 'unfinished');
    const w = writeTokenShards(d, { vocabSize: 100, tokenizer });
    w.write('train', [1, 2, 3]);
    w.abort();
    expect(fail(d).message).toMatch(/manifest\.json: missing: not a shard set, or an unfinished one/);
    expect(fail(join(root, 'nowhere')).reason).toBe('not-found');

    const m = writeSet();
    const path = join(m, 'manifest.json');
    const good = JSON.parse(readFileSync(path, 'utf8'));
    writeFileSync(path, JSON.stringify({ format: 'numpy', version: 1 }));
    expect(fail(m).message).toBe(
      `${path}: is not a seqgen token shard manifest (format "numpy", expected "seqgen-token-shards")`,
    );
    writeFileSync(path, JSON.stringify({ ...good, dtype: 'float32' }));
    expect(fail(m).reason).toBe('bad-dtype');
    writeFileSync(path, JSON.stringify({ ...good, dtype: 'uint16', vocabSize: 70_000 }));
    expect(fail(m).message).toMatch(/dtype uint16 cannot hold vocabSize 70000/);
    writeFileSync(path, JSON.stringify({ ...good, version: 2 }));
    expect(fail(m).reason).toBe('unsupported-version');
    writeFileSync(path, JSON.stringify({ ...good, shards: [{ ...good.shards[0], file: '../etc/passwd' }] }));
    expect(fail(m).message).toMatch(/shards\[0\]\.file must be a plain file name/);
    writeFileSync(path, '{"format": ');
    expect(fail(m).reason).toBe('bad-manifest');
  });

  it('the writer refuses out-of-range ids, a non-empty folder and an empty split', () => {
    const d = join(root, 'range');
    const w = writeTokenShards(d, { vocabSize: 50, tokenizer });
    expect(() => w.write('train', [3, 50])).toThrow(
      /train-00000\.bin: token id 50 at position 1 is not an integer in \[0, 50\)/,
    );
    w.abort();
    expect(() => writeTokenShards(d, { vocabSize: 50, tokenizer })).toThrow(ConfigError);
    const e = writeTokenShards(join(root, 'no-heldout'), { vocabSize: 50, tokenizer });
    e.write('train', [1, 2]);
    expect(() => e.finish()).toThrow(/heldout: split has no tokens/);
  });
});
