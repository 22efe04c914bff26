import { ConfigError, ShapeError } from '@seqgen/core';
import type * as tf from '@tensorflow/tfjs';

/** A positive integer option, or a ConfigError naming it. */
export function positiveInt(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new ConfigError(field, `must be a positive integer, got ${String(value)}`);
  }
  return value;
}

/** A probability in [0, 1), or a ConfigError naming it. */
export function dropoutRate(value: unknown, field: string): number {
  const rate = value ?? 0;
  if (typeof rate !== 'number' || !(rate >= 0 && rate < 1)) {
    throw new ConfigError(field, `must be a number in [0, 1), got ${String(value)}`);
  }
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
