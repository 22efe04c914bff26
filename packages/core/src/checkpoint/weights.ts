import * as tf from '@tensorflow/tfjs';
import { CheckpointError } from '../errors.js';
import { DTYPE_BYTES, elementCount, WEIGHT_DTYPES, type WeightDType, type WeightSpec } from './format.js';

/** The typed array holding a weight's elements: Float32Array, Int32Array, or Uint8Array for bool. */
export type WeightData = Float32Array | Int32Array | Uint8Array;

/** A weight held in plain memory: what loading returns and what saving accepts besides tensors. */
export interface WeightArray {
  /** Element type of the weight. */
  dtype: WeightDType;
  /** Dimensions of the weight; `[]` for a scalar. */
  shape: number[];
  /** The elements in row-major order; a bool weight stores 0/1 bytes. */
  data: WeightData;
}

/** A weight to save: a plain {@link WeightArray} or a tfjs tensor (read, not disposed). */
export type WeightInput = WeightArray | tf.Tensor;

/** Reads tensors into plain arrays (async: it waits for the backend to finish). */
export async function toWeightArray(name: string, value: WeightInput, path: string): Promise<WeightArray> {
  if (value instanceof tf.Tensor) {
    if (value.isDisposed) throw new CheckpointError('invalid-weights', path, `weight "${name}" is a disposed tensor`);
    const dtype = value.dtype as WeightDType;
    if (!WEIGHT_DTYPES.includes(dtype)) {
      throw new CheckpointError(
        'invalid-weights',
        path,
        `weight "${name}" has dtype ${value.dtype}; expected ${WEIGHT_DTYPES.join(', ')}`,
      );
    }
    const raw = await value.data();
    const data = dtype === 'bool' ? Uint8Array.from(raw as ArrayLike<number>) : (raw as WeightData);
    return { dtype, shape: [...value.shape], data };
  }
  checkWeightArray(name, value, path);
  return value;
}

function checkWeightArray(name: string, w: WeightArray, path: string): void {
  const bad = (msg: string): never => {
    throw new CheckpointError('invalid-weights', path, `weight "${name}" ${msg}`);
  };
  if (!WEIGHT_DTYPES.includes(w.dtype)) bad(`has dtype ${String(w.dtype)}; expected ${WEIGHT_DTYPES.join(', ')}`);
  if (!Array.isArray(w.shape) || !w.shape.every((d) => Number.isInteger(d) && d >= 0))
    bad(`has invalid shape [${w.shape}]`);
  const expected = { float32: Float32Array, int32: Int32Array, bool: Uint8Array }[w.dtype];
  if (!(w.data instanceof expected)) bad(`holds ${w.data?.constructor?.name} data; ${w.dtype} needs ${expected.name}`);
  if (w.data.length !== elementCount(w.shape))
    bad(`has ${w.data.length} values but shape [${w.shape}] needs ${elementCount(w.shape)}`);
}

/** The first non-finite float value, if any, as `[index, value]`. */
export function findNonFinite(w: WeightArray): [number, number] | undefined {
  if (w.dtype !== 'float32') return undefined;
  const data = w.data as Float32Array;
  for (let i = 0; i < data.length; i++) {
    const v = data[i] as number;
    if (!Number.isFinite(v)) return [i, v];
  }
  return undefined;
}

/** Lays weights end to end in the tfjs weights binary layout (little-endian). */
export function encodeWeights(weights: ReadonlyArray<[string, WeightArray]>): {
  specs: WeightSpec[];
  bytes: Uint8Array;
} {
  const specs: WeightSpec[] = [];
  let total = 0;
  for (const [name, w] of weights) {
    specs.push({ name, shape: [...w.shape], dtype: w.dtype });
    total += elementCount(w.shape) * DTYPE_BYTES[w.dtype];
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const [, w] of weights) {
    const view = new Uint8Array(w.data.buffer, w.data.byteOffset, w.data.byteLength);
    bytes.set(view, offset);
    offset += view.byteLength;
  }
  return { specs, bytes };
}

/** Splits a weight payload back into arrays (copies, so they own aligned buffers). */
export function decodeWeights(specs: readonly WeightSpec[], bytes: Uint8Array): Record<string, WeightArray> {
  const out: Record<string, WeightArray> = Object.create(null);
  let offset = 0;
  for (const spec of specs) {
    const length = elementCount(spec.shape) * DTYPE_BYTES[spec.dtype];
    const slice = bytes.slice(offset, offset + length);
    offset += length;
    const data =
      spec.dtype === 'float32'
        ? new Float32Array(slice.buffer)
        : spec.dtype === 'int32'
          ? new Int32Array(slice.buffer)
          : slice;
    out[spec.name] = { dtype: spec.dtype, shape: [...spec.shape], data };
  }
  return out;
}

/** Makes tensors from loaded weights; the caller owns (and disposes) them. */
export function weightsToTensors(weights: Record<string, WeightArray>): Record<string, tf.Tensor> {
  const out: Record<string, tf.Tensor> = {};
  for (const [name, w] of Object.entries(weights)) {
    out[name] = tf.tensor(w.dtype === 'bool' ? Array.from(w.data) : w.data, w.shape, w.dtype);
  }
  return out;
}
