import { assertInRange, assertPositiveInteger, ShapeError } from '@seqgen/core';
import type * as tf from '@tensorflow/tfjs';

/** A positive integer option, returned (core's `assertPositiveInteger`: a ConfigError naming it). */
export function positiveInt(value: unknown, field: string): number {
  assertPositiveInteger(field, value);
  return value;
}

/** A probability in [0, 1), default 0 (core's `assertInRange`: a ConfigError naming it). */
export function dropoutRate(value: unknown, field: string): number {
  const rate = value ?? 0;
  assertInRange(field, rate, 0, 1, { openMax: true });
  return rate;
}

/** Checks rank and the sizes given (undefined = any), naming the argument. */
export function expectShape(
  t: tf.Tensor,
  argument: string,
  expected: Array<number | undefined>,
  context: string,
): void {
  const ok = t.rank === expected.length && expected.every((d, i) => d === undefined || t.shape[i] === d);
  if (!ok) {
    const want = `[${expected.map((d) => d ?? '?').join(', ')}]`;
    throw new ShapeError(argument, `of shape ${want}`, `[${t.shape.join(', ')}]`, context);
  }
  if (t.dtype !== 'float32') throw new ShapeError(argument, 'float32', t.dtype, context);
}
