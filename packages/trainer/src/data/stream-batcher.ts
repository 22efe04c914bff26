import type { JsonObject } from '@seqgen/core';
import { assertPositiveInteger, ConfigError } from '@seqgen/core';
import type { DataSource } from './data-source.js';
import { LaneSchedule } from './lane-schedule.js';

/** One `[batchSize, seqLength]` chunk of token streams, row-major. */
export interface StreamBatch {
  /** Lanes (rows) in the batch. */
  batchSize: number;
  /** Time steps per row: the truncated-BPTT length. */
  seqLength: number;
  /** Token fed at each position. */
  inputs: Int32Array;
  /** Token to predict at each position (the next token of the stream). */
  targets: Int32Array;
  /** 1 where the target counts; 0 where input and target belong to different documents. */
  mask: Float32Array;
  /** 1 where the model must zero its state before reading the input (a document or lane starts there). */
  resets: Float32Array;
  /** Tokens counted by `mask`. */
  tokens: number;
  /** Passes over the token stream completed before this batch (0 in the first). */
  epoch: number;
  /** Index of this batch within its epoch. */
  index: number;
}

/** The documents a {@link StreamBatcher} cuts and how it lays them out. */
export interface StreamBatcherOptions {
  /** Token ids, one array per document. Documents are concatenated; state resets at their boundaries. */
  documents: ReadonlyArray<ArrayLike<number>>;
  /** Lanes the stream is split into: rows per batch. */
  batchSize: number;
  /** Time steps per chunk: the truncation length of truncated BPTT. */
  seqLength: number;
  /** Seed of the batcher's own RNG (random epoch offsets). */
  seed?: number;
  /** Start each epoch at a random offset in [0, seqLength), so chunk edges move between epochs (default true). */
  randomOffset?: boolean;
}

/**
 * Cuts token streams into chunks for truncated BPTT, char-rnn style: the
 * stream is split into `batchSize` contiguous lanes, and batch k holds the
 * k-th chunk of every lane, so the state a model ends one batch with is the
 * right state to start the next one from. Documents are concatenated, and
 * `resets`/`mask` mark where one ends so that no state or prediction crosses
 * from one document into another.
 */
export class StreamBatcher implements DataSource<StreamBatch> {
  /** Lanes the stream is split into: rows per batch. */
  readonly batchSize: number;
  /** Time steps per chunk: the truncated-BPTT length. */
  readonly seqLength: number;
  private readonly tokens: Int32Array;
  private readonly docIds: Int32Array;
  private readonly schedule: LaneSchedule;

  constructor(options: StreamBatcherOptions) {
    const { documents, batchSize, seqLength } = options;
    if (!Array.isArray(documents)) throw new ConfigError('documents', 'must be an array of token-id arrays');
    const total = documents.reduce((n, d) => n + d.length, 0);
    if (total === 0) throw new ConfigError('documents', 'are empty: there is no token to train on');
    assertPositiveInteger('batchSize', batchSize);
    assertPositiveInteger('seqLength', seqLength);
    // The worst-case offset (seqLength - 1) must still leave one full chunk per lane.
    this.schedule = new LaneSchedule(total, batchSize, seqLength, options.randomOffset ?? true, options.seed ?? 0);
    this.batchSize = batchSize;
    this.seqLength = seqLength;
    this.tokens = new Int32Array(total);
    this.docIds = new Int32Array(total);
    let at = 0;
    documents.forEach((doc, d) => {
      for (let i = 0; i < doc.length; i++) {
        this.tokens[at] = doc[i] as number;
        this.docIds[at++] = d;
      }
    });
  }

  /** Batches in the current epoch (depends on its offset). */
  get batchesPerEpoch(): number {
    return this.schedule.batchesPerEpoch;
  }

  /** The next chunk of every lane; after the last one a new epoch starts (at a new random offset when enabled). */
  next(): StreamBatch {
    const { epoch, index, offset, laneLength: lane } = this.schedule.next();
    const { batchSize: B, seqLength: T } = this;
    const inputs = new Int32Array(B * T);
    const targets = new Int32Array(B * T);
    const mask = new Float32Array(B * T);
    const resets = new Float32Array(B * T);
    let tokens = 0;
    for (let b = 0; b < B; b++) {
      const start = offset + b * lane + index * T;
      for (let t = 0; t < T; t++) {
        const p = start + t;
        const i = b * T + t;
        inputs[i] = this.tokens[p] as number;
        targets[i] = this.tokens[p + 1] as number;
        const sameDoc = this.docIds[p] === this.docIds[p + 1];
        mask[i] = sameDoc ? 1 : 0;
        tokens += mask[i] as number;
        // Lanes start fresh each epoch; a document starts fresh wherever it begins.
        const laneStart = index === 0 && t === 0;
        resets[i] = laneStart || (p > 0 && this.docIds[p] !== this.docIds[p - 1]) ? 1 : 0;
      }
    }
    const batch: StreamBatch = {
      batchSize: B,
      seqLength: T,
      inputs,
      targets,
      mask,
      resets,
      tokens,
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
    this.schedule.setState(state, 'StreamBatcher');
  }
}

/** Every batch of one ordered pass (no random offset): validation data for a stream. */
export function streamBatches(options: Omit<StreamBatcherOptions, 'randomOffset' | 'seed'>): StreamBatch[] {
  const batcher = new StreamBatcher({ ...options, randomOffset: false });
  return Array.from({ length: batcher.batchesPerEpoch }, () => batcher.next());
}
