import type { Rng } from '@seqgen/core';
import type { SeqBatch } from '../batch.js';

/**
 * The copy memory task (Hochreiter & Schmidhuber 1997; the form of Arjovsky,
 * Shah & Bengio 2016). Alphabet: 0 = blank, 1..8 = symbols, 9 = delimiter.
 * An example has `time = delay + 20` steps:
 *
 *   input:  s1..s10, `delay − 1` blanks, delimiter, 10 blanks
 *   target: `delay + 10` blanks, s1..s10
 *
 * with s1..s10 drawn uniformly from the 8 symbols. The model must output the
 * ten symbols `delay` + 10 steps after it saw them. Inputs are one-hot `[B, T, 10]`,
 * targets are class ids `[B, T]`, the loss is the mean cross-entropy over all
 * `T` steps.
 */
export const COPY_SYMBOLS = 8;
export const COPY_LENGTH = 10;
export const COPY_BLANK = 0;
export const COPY_DELIMITER = COPY_SYMBOLS + 1;
/** Input and output alphabet size (blank, 8 symbols, delimiter). */
export const COPY_CLASSES = COPY_SYMBOLS + 2;

export function copyTime(delay: number): number {
  return delay + 2 * COPY_LENGTH;
}

/**
 * Cross-entropy of the best memoryless strategy: it knows the position (so it
 * predicts blank with certainty for the first `delay + 10` steps, costing 0)
 * but not the symbols (uniform over 8 for the last 10, costing log 8 each),
 * averaged over all `delay + 20` steps: `10·ln(8) / (delay + 20)` nats.
 */
export function copyBaseline(delay: number): number {
  return (COPY_LENGTH * Math.log(COPY_SYMBOLS)) / copyTime(delay);
}

export function copyBatch(rng: Rng, batchSize: number, delay: number): SeqBatch {
  if (!(Number.isInteger(delay) && delay >= 1))
    throw new RangeError(`copyBatch: delay must be an integer ≥ 1, got ${delay}`);
  const T = copyTime(delay);
  const x = new Float32Array(batchSize * T * COPY_CLASSES);
  const y = new Int32Array(batchSize * T); // blanks (0) by default
  for (let b = 0; b < batchSize; b++) {
    const input = new Int32Array(T);
    for (let k = 0; k < COPY_LENGTH; k++) {
      const s = 1 + rng.int(COPY_SYMBOLS);
      input[k] = s;
      y[b * T + delay + COPY_LENGTH + k] = s;
    }
    input[delay + COPY_LENGTH - 1] = COPY_DELIMITER;
    for (let t = 0; t < T; t++) x[(b * T + t) * COPY_CLASSES + (input[t] as number)] = 1;
  }
  return { x, batchSize, time: T, features: COPY_CLASSES, y };
}
