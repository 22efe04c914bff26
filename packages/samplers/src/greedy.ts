import type { Sampler } from '@seqgen/core';
import type * as tf from '@tensorflow/tfjs';
import { argmax, assertNoNaN, noTokenLeft } from './logits-math.js';
import { applyLogitsProcessors, type LogitsProcessor } from './logits-processors/logits-processor.js';
import { readLogitRows } from './model-state.js';

/** The most likely token of one row (lowest id on ties). */
export function greedyToken(logits: Float32Array): number {
  assertNoNaN(logits, 'greedy');
  const token = argmax(logits);
  if (token < 0) throw noTokenLeft('greedy');
  return token;
}

/**
 * A {@link Sampler} that takes the argmax of each row after optional
 * processors (which see no history here: use `generate` for history-aware
 * constraints). It does not dispose the logits it is given.
 */
export class GreedySampler implements Sampler {
  constructor(private readonly processors: readonly LogitsProcessor[] = []) {}

  async sample(logits: tf.Tensor2D): Promise<number[]> {
    const rows = await readLogitRows(logits, 'GreedySampler.sample');
    return rows.map((row) => greedyToken(applyLogitsProcessors(this.processors, row, NO_HISTORY)));
  }
}

/** Context for processors used outside a generation loop. */
export const NO_HISTORY = Object.freeze({ step: 0, sequence: Object.freeze([]) as readonly number[], promptLength: 0 });
