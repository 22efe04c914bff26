import { ShapeError } from '@seqgen/base';

/** Decoded audio: one `Float32Array` per channel (all the same length) and the sample rate in Hz. */
export type PcmAudio = {
  /** Samples per second, an integer in [1, 768000]. */
  sampleRate: number;
  /** One array per channel; integer encodings are scaled to [-1, 1). */
  channels: Float32Array[];
};

/** The highest sample rate accepted anywhere in this package (the highest rate common hardware offers). */
export const MAX_SAMPLE_RATE = 768_000;

/** Any array of samples this package accepts. */
export type SampleArray = Float32Array | Float64Array | readonly number[];

/**
 * Checks that `samples` is a non-empty array of finite numbers, naming
 * `argument` and the first bad index in the {@link ShapeError}.
 */
export function assertSignal(argument: string, samples: unknown, context: string): asserts samples is SampleArray {
  const arrayLike = Array.isArray(samples) || samples instanceof Float32Array || samples instanceof Float64Array;
  if (!arrayLike) throw new ShapeError(argument, 'a Float32Array, Float64Array or number[]', typeOf(samples), context);
  const values = samples as ArrayLike<unknown>;
  if (values.length === 0) throw new ShapeError(argument, 'a non-empty array of samples', 'an empty array', context);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new ShapeError(argument, 'finite numbers', `${String(v)} at index ${i}`, context);
    }
  }
}

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'object') return (value as object).constructor?.name ?? 'object';
  return typeof value;
}
