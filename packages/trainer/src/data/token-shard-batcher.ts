import type { JsonObject } from '@seqgen/core';
import { assertPositiveInteger } from '@seqgen/core';
import type { DataSource } from './data-source.js';
import { LaneSchedule } from './lane-schedule.js';
import type { StreamBatch } from './stream-batcher.js';
import type { TokenSplit } from './token-shard-manifest.js';
import type { TokenShards } from './token-shards.js';

/** The shard set a {@link TokenShardBatcher} reads and how it cuts it. */
export type TokenShardBatcherOptions = {
  /** An opened shard set ({@link openTokenShards}). */
  shards: TokenShards;
  /** Which stream to read (default `train`). */
  split?: TokenSplit;
  /** Lanes the stream is split into: rows per batch. */
  batchSize: number;
  /** Time steps per chunk: the truncation length of truncated BPTT. */
  seqLength: number;
  /** Seed of the batcher's own RNG (random epoch offsets). */
  seed?: number;
  /** Start each epoch at a random offset in [0, seqLength) (default true). */
  randomOffset?: boolean;
  /** Tokens each lane reads ahead per file read (default 8192; at least seqLength + 1). */
  readAheadTokens?: number;
};

type LaneWindow = { start: number; length: number; ids: Int32Array };

/**
 * {@link StreamBatcher}'s scheme over a shard set on disk: the split's token
 * stream is cut into `batchSize` contiguous lanes, batch k holds the k-th
 * chunk of each lane (so carried state stays valid), and every epoch starts at
 * a random offset drawn from the same RNG sequence — with the same seed the
 * batches equal StreamBatcher's over the same ids. Memory is bounded: each
 * lane keeps one read-ahead window, filled by positioned reads.
 */
export class TokenShardBatcher implements DataSource<StreamBatch> {
  /** Lanes the stream is split into: rows per batch. */
  readonly batchSize: number;
  /** Time steps per chunk: the truncated-BPTT length. */
  readonly seqLength: number;
  private readonly shards: TokenShards;
  private readonly split: TokenSplit;
  private readonly total: number;
  private readonly schedule: LaneSchedule;
  private readonly lanes: LaneWindow[];

  constructor(options: TokenShardBatcherOptions) {
    const { shards, batchSize, seqLength } = options;
    assertPositiveInteger('batchSize', batchSize);
    assertPositiveInteger('seqLength', seqLength);
    this.split = options.split ?? 'train';
    this.total = shards.tokenCount(this.split);
    this.schedule = new LaneSchedule(
      this.total,
      batchSize,
      seqLength,
      options.randomOffset ?? true,
      options.seed ?? 0,
      `${this.split} tokens`,
    );
    const readAhead = Math.max(seqLength + 1, options.readAheadTokens ?? 8192);
    assertPositiveInteger('readAheadTokens', readAhead);
    this.shards = shards;
    this.batchSize = batchSize;
    this.seqLength = seqLength;
    this.lanes = Array.from({ length: batchSize }, () => ({ start: 0, length: 0, ids: new Int32Array(readAhead) }));
  }

  /** Batches in the current epoch (depends on its offset). */
  get batchesPerEpoch(): number {
    return this.schedule.batchesPerEpoch;
  }

  /** The window of lane `b` holding tokens [p, p + need), read from disk when it does not yet. */
  private window(b: number, p: number, need: number): LaneWindow {
    const lane = this.lanes[b] as LaneWindow;
    if (p < lane.start || p + need > lane.start + lane.length) {
      const length = Math.min(lane.ids.length, this.total - p);
      this.shards.read(this.split, p, length, lane.ids);
      lane.start = p;
      lane.length = length;
    }
    return lane;
  }

  /** The next chunk of every lane; after the last one a new epoch starts (at a new random offset when enabled). */
  next(): StreamBatch {
    const { epoch, index, offset, laneLength } = this.schedule.next();
    const { batchSize: B, seqLength: T } = this;
    const inputs = new Int32Array(B * T);
    const targets = new Int32Array(B * T);
    const mask = new Float32Array(B * T).fill(1);
    const resets = new Float32Array(B * T);
    for (let b = 0; b < B; b++) {
      const p = offset + b * laneLength + index * T;
      const w = this.window(b, p, T + 1);
      const at = p - w.start;
      inputs.set(w.ids.subarray(at, at + T), b * T);
      targets.set(w.ids.subarray(at + 1, at + T + 1), b * T);
      // One stream, no document edges: only a lane's first chunk of an epoch starts from zero state.
      if (index === 0) resets[b * T] = 1;
    }
    const batch: StreamBatch = {
      batchSize: B,
      seqLength: T,
      inputs,
      targets,
      mask,
      resets,
      tokens: B * T,
      epoch,
      index,
    };
    return batch;
  }

  /** Epoch, batch index, epoch offset and RNG state, saved in trainer checkpoints. */
  getState(): JsonObject {
    return this.schedule.getState();
  }

  /** Resumes from a `getState` result; throws a ConfigError on an invalid state. */
  setState(state: JsonObject): void {
    this.schedule.setState(state, 'TokenShardBatcher');
  }
}
