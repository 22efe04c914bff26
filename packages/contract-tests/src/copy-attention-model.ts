import { embeddingLookup, GRUCell, LuongAttention, linear, RecurrentLayer } from '@seqgen/cells';
import {
  type AttentionMemory,
  glorotUniform,
  type JsonObject,
  type ModelConfig,
  Rng,
  type SequenceModel,
} from '@seqgen/core';
import type { DataSource, LossContext, LossResult, TrainableModel } from '@seqgen/trainer';
import * as tf from '@tensorflow/tfjs';

/** Source digits 0–9; the target vocabulary adds BOS and EOS. */
export const DIGITS = 10;
export const BOS = 10;
export const EOS = 11;
export const TARGET_VOCAB = 12;

/** A batch of source digit sequences of varied lengths; the target is the same digits, then EOS. */
export interface CopyBatch {
  sources: number[][];
}

/** The decoder's state: its GRU state, its last attentional vector (input feeding), and the condition it attends over. */
export interface CopyDecoderState {
  h: tf.Tensor2D;
  feed: tf.Tensor2D;
  memory: tf.Tensor3D;
  mask: tf.Tensor2D;
}

export interface CopyAttentionOptions {
  embedding?: number;
  units?: number;
  seed?: number;
}

/**
 * A tiny sequence-to-sequence model with attention, built from @seqgen/cells
 * parts: a GRU encoder over the source digits gives the memory; a GRU decoder
 * with input feeding attends over it (Luong `general`) and predicts the copy.
 * It is a trainer `TrainableModel` (teacher-forced cross-entropy) and a core
 * `SequenceModel` conditioned on the encoder's `AttentionMemory`, so
 * samplers decode it knowing nothing of it.
 */
export class CopyAttentionModel implements TrainableModel<CopyBatch>, SequenceModel<CopyDecoderState, AttentionMemory> {
  readonly vocabSize = TARGET_VOCAB;
  readonly units: number;
  readonly embeddingSize: number;
  private readonly encoder: RecurrentLayer;
  private readonly decoderCell: GRUCell;
  private readonly attention: LuongAttention;
  private readonly own: Record<string, tf.Variable>;
  private readonly seed: number;

  constructor(options: CopyAttentionOptions = {}) {
    const E = (this.embeddingSize = options.embedding ?? 16);
    const H = (this.units = options.units ?? 48);
    this.seed = options.seed ?? 0;
    const rng = new Rng(this.seed);
    this.encoder = new RecurrentLayer(new GRUCell({ inputSize: E, units: H, seed: this.seed + 1 }));
    this.decoderCell = new GRUCell({ inputSize: E + H, units: H, seed: this.seed + 2 });
    this.attention = new LuongAttention({ querySize: H, memorySize: H, seed: this.seed + 3 });
    const v = (t: tf.Tensor) => tf.variable(t, true);
    this.own = {
      sourceEmbedding: v(glorotUniform(rng, [DIGITS, E])),
      targetEmbedding: v(glorotUniform(rng, [TARGET_VOCAB, E])),
      combineKernel: v(glorotUniform(rng, [2 * H, H])),
      outputKernel: v(glorotUniform(rng, [H, TARGET_VOCAB])),
      outputBias: v(tf.zeros([TARGET_VOCAB])),
    };
  }

  get variables(): Record<string, tf.Variable> {
    const prefixed = (prefix: string, vars: Readonly<Record<string, tf.Variable>>) =>
      Object.fromEntries(Object.entries(vars).map(([k, val]) => [`${prefix}/${k}`, val]));
    return {
      ...this.own,
      ...prefixed('encoder', this.encoder.variables),
      ...prefixed('decoder', this.decoderCell.variables),
      ...prefixed('attention', this.attention.variables),
    };
  }

  /** Encodes source digit sequences (any lengths ≥ 1) into the decoder's condition: memory `[B, S, H]` and mask `[B, S]`. */
  encode(sources: readonly (readonly number[])[]): AttentionMemory {
    return tf.tidy(() => {
      const { memory, mask } = this.encodeTensors(sources);
      return { memory, mask };
    }) as AttentionMemory;
  }

  private encodeTensors(sources: readonly (readonly number[])[]): { memory: tf.Tensor3D; mask: tf.Tensor2D } {
    const B = sources.length;
    const S = Math.max(...sources.map((s) => s.length));
    const ids = new Int32Array(B * S);
    const mask = new Float32Array(B * S);
    sources.forEach((s, b) => {
      ids.set(s, b * S);
      mask.fill(1, b * S, b * S + s.length);
    });
    const x = embeddingLookup(tf.tensor2d(ids, [B, S], 'int32'), this.own.sourceEmbedding as tf.Tensor2D);
    const { output } = this.encoder.apply(x, { lengths: sources.map((s) => s.length) });
    return { memory: output as tf.Tensor3D, mask: tf.tensor2d(mask, [B, S]) };
  }

  initialState(batchSize: number, condition?: AttentionMemory): CopyDecoderState {
    if (!condition) throw new Error('CopyAttentionModel decodes from an encoded source: pass its AttentionMemory');
    const [, S] = condition.memory.shape;
    return {
      h: tf.zeros([batchSize, this.units]),
      feed: tf.zeros([batchSize, this.units]),
      memory: condition.memory,
      mask: condition.mask ?? tf.ones([batchSize, S]),
    };
  }

  step(tokens: tf.Tensor1D, state: CopyDecoderState): { logits: tf.Tensor2D; state: CopyDecoderState } {
    // cells' attention takes source lengths; the mask is a prefix of ones, so its row sums are the lengths.
    const lengths = Array.from(tf.sum(state.mask, 1).dataSync(), Math.round);
    return this.decodeStep(tokens, state, lengths);
  }

  private decodeStep(
    tokens: tf.Tensor1D,
    state: CopyDecoderState,
    sourceLengths: readonly number[],
  ): { logits: tf.Tensor2D; state: CopyDecoderState } {
    const x = tf.concat([embeddingLookup(tokens, this.own.targetEmbedding as tf.Tensor2D), state.feed], 1);
    const h = this.decoderCell.step(x, [state.h]).state[0] as tf.Tensor2D;
    const { context } = this.attention.apply(h, state.memory, { sourceLengths });
    const feed = tf.tanh(linear(tf.concat([h, context], 1), this.own.combineKernel as tf.Tensor2D)) as tf.Tensor2D;
    const logits = linear(
      feed,
      this.own.outputKernel as tf.Tensor2D,
      this.own.outputBias as tf.Tensor1D,
    ) as tf.Tensor2D;
    return { logits, state: { h, feed, memory: state.memory, mask: state.mask } };
  }

  /** Teacher-forced cross-entropy of `[digits…, EOS]` given `[BOS, digits…]`, averaged over real target tokens. */
  loss(batch: CopyBatch, _state: tf.Tensor[] | undefined, _context: LossContext): LossResult {
    const { sources } = batch;
    const B = sources.length;
    const lengths = sources.map((s) => s.length);
    const T = Math.max(...lengths) + 1;
    const { memory, mask } = this.encodeTensors(sources);
    let state: CopyDecoderState = {
      h: tf.zeros([B, this.units]),
      feed: tf.zeros([B, this.units]),
      memory,
      mask,
    };
    const terms: tf.Tensor[] = [];
    let count = 0;
    for (let t = 0; t < T; t++) {
      const inputs = sources.map((s) => (t === 0 ? BOS : (s[t - 1] ?? EOS)));
      const targets = sources.map((s) => (t < s.length ? (s[t] as number) : EOS));
      const weights = sources.map((s): number => (t <= s.length ? 1 : 0));
      count += weights.reduce((a, w) => a + w, 0);
      const out = this.decodeStep(tf.tensor1d(inputs, 'int32'), state, lengths);
      state = out.state;
      const logProbs = tf.logSoftmax(out.logits);
      const picked = tf.sum(tf.mul(logProbs, tf.oneHot(tf.tensor1d(targets, 'int32'), TARGET_VOCAB)), 1);
      terms.push(tf.sum(tf.mul(picked, tf.tensor1d(weights))));
    }
    return { loss: tf.div(tf.neg(tf.addN(terms)), count) as tf.Scalar, tokens: count };
  }

  getConfig(): ModelConfig {
    return { type: 'copy-attention-test', embedding: this.embeddingSize, units: this.units, seed: this.seed };
  }

  dispose(): void {
    this.encoder.dispose();
    this.decoderCell.dispose();
    this.attention.dispose();
    for (const v of Object.values(this.own)) v.dispose();
  }
}

/** Random digit sequences of lengths in `[minLength, maxLength]`. */
export function randomSources(rng: Rng, count: number, minLength: number, maxLength: number): number[][] {
  return Array.from({ length: count }, () =>
    Array.from({ length: minLength + rng.int(maxLength - minLength + 1) }, () => rng.int(DIGITS)),
  );
}

/** An endless, resumable supply of copy batches. */
export class CopyData implements DataSource<CopyBatch> {
  private readonly rng: Rng;

  constructor(
    seed: number,
    private readonly batchSize: number,
    private readonly minLength: number,
    private readonly maxLength: number,
  ) {
    this.rng = new Rng(seed);
  }

  next(): CopyBatch {
    return { sources: randomSources(this.rng, this.batchSize, this.minLength, this.maxLength) };
  }

  getState(): JsonObject {
    return { rng: [...this.rng.getState()] };
  }

  setState(state: JsonObject): void {
    this.rng.setState(state.rng as unknown as [number, number, number, number]);
  }
}
