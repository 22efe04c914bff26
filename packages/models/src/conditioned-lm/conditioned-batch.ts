import { type JsonObject, ShapeError } from '@seqgen/core';
import type { LMBatch } from '../lm-batch.js';
import type { ConditionOn } from './conditioned-lm-config.js';

/**
 * A next-token batch with a conditioning id at every position, row-major
 * `[batchSize, seqLength]`: `conditions[b, t]` is the id the model reads with
 * `inputs[b, t]`, that is the id of the input token (`conditionOn: 'current'`)
 * or of the target token (`'next'`). {@link ConditionedStreamSource} lays
 * them out so.
 */
export type ConditionedLMBatch = LMBatch & {
  /** Conditioning id read at each position, in `[0, conditionVocabSize)` (positions `mask` excludes may hold anything). */
  conditions: ArrayLike<number>;
};

/** The part of a stream batch {@link ConditionedStreamSource} reads (`StreamBatch` of `@seqgen/trainer` fits). */
export type StreamChunk = LMBatch;

/** A resumable supply of stream batches (`StreamBatcher` of `@seqgen/trainer` fits). */
export type StreamChunkSource<B extends StreamChunk = StreamChunk> = {
  /** The next batch. */
  next(): B;
  /** The cursor and RNG state. */
  getState(): JsonObject;
  /** Restores a `getState` result. */
  setState(state: JsonObject): void;
};

/** Options of {@link ConditionedStreamSource}. */
export type ConditionedStreamOptions = {
  /** The model's `conditionOn`: take the condition of each input (`'current'`) or of each target (`'next'`). */
  conditionOn: ConditionOn;
};

/**
 * Zips two stream sources cut the same way — one over the token documents,
 * one over the conditioning documents (one id per token, same document
 * lengths, same batch size, sequence length and seed) — into
 * {@link ConditionedLMBatch}es for the trainer: the token batch with
 * `conditions` taken from the condition batch's inputs (`'current'`) or
 * targets (`'next'`). Batches that do not line up (different shapes or
 * document boundaries) are a ShapeError.
 */
export class ConditionedStreamSource<B extends StreamChunk = StreamChunk> {
  /**
   * `tokens` cuts the token documents, `conditions` the conditioning documents
   * (one id per token), both with the same batch size, sequence length and seed.
   */
  constructor(
    private readonly tokens: StreamChunkSource<B>,
    private readonly conditions: StreamChunkSource,
    private readonly options: ConditionedStreamOptions,
  ) {}

  /** The next token batch with its conditioning ids. */
  next(): B & ConditionedLMBatch {
    const batch = this.tokens.next();
    const cond = this.conditions.next();
    const context = 'ConditionedStreamSource.next';
    if (cond.batchSize !== batch.batchSize || cond.seqLength !== batch.seqLength) {
      throw new ShapeError(
        'conditions',
        `batches of [${batch.batchSize}, ${batch.seqLength}] like the token batches`,
        `[${cond.batchSize}, ${cond.seqLength}]`,
        context,
      );
    }
    const same = (a: ArrayLike<number> | undefined, b: ArrayLike<number> | undefined) =>
      a === undefined || b === undefined || Array.prototype.every.call(a, (v: number, i: number) => v === b[i]);
    if (!same(batch.mask, cond.mask) || !same(batch.resets, cond.resets)) {
      throw new ShapeError(
        'conditions',
        'documents of the same lengths as the token documents (one id per token)',
        'different document boundaries',
        context,
      );
    }
    const conditions = this.options.conditionOn === 'next' ? cond.targets : cond.inputs;
    return { ...batch, conditions };
  }

  /** Both sources' states, saved in trainer checkpoints. */
  getState(): JsonObject {
    return { tokens: this.tokens.getState(), conditions: this.conditions.getState() };
  }

  /** Restores a {@link getState} result. */
  setState(state: JsonObject): void {
    this.tokens.setState(state.tokens as JsonObject);
    this.conditions.setState(state.conditions as JsonObject);
  }
}
