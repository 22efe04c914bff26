import type { Rng, Sampler } from '@seqgen/core';
import type * as tf from '@tensorflow/tfjs';
import { NO_HISTORY } from './greedy.js';
import { argmax, assertNoNaN, noTokenLeft, softmax } from './logits-math.js';
import { applyLogitsProcessors, type LogitsProcessor } from './logits-processors/logits-processor.js';
import { readLogitRows } from './model-state.js';

/** Draws one token from softmax(logits) with `rng` (one `rng.float()` per call). */
export function sampleToken(logits: Float32Array, rng: Rng): number {
  assertNoNaN(logits, 'sample');
  if (argmax(logits) < 0) throw noTokenLeft('sample');
  return rng.categorical(softmax(logits));
}

/** The random source and processors of a {@link MultinomialSampler}. */
export interface MultinomialSamplerOptions {
  /** Source of every draw; a seeded one reproduces the samples. */
  rng: Rng;
  /** Applied to each row before drawing (e.g. `buildLogitsProcessors(config)`). */
  processors?: readonly LogitsProcessor[];
}

/**
 * A {@link Sampler} that draws each row's token from the processed softmax
 * distribution. It does not dispose the logits it is given.
 */
export class MultinomialSampler implements Sampler {
  private readonly rng: Rng;
  private readonly processors: readonly LogitsProcessor[];

  constructor({ rng, processors = [] }: MultinomialSamplerOptions) {
    this.rng = rng;
    this.processors = processors;
  }

  async sample(logits: tf.Tensor2D): Promise<number[]> {
    const rows = await readLogitRows(logits, 'MultinomialSampler.sample');
    return rows.map((row) => sampleToken(applyLogitsProcessors(this.processors, row, NO_HISTORY), this.rng));
  }
}
