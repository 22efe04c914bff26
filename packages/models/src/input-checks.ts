import { ShapeError } from '@seqgen/core';
import * as tf from '@tensorflow/tfjs';

/**
 * Checks token ids before they reach the embedding: int32, the right rank and
 * every id in [0, vocabSize). Out-of-range ids are caught here because
 * `tf.gather` does not: depending on the backend it returns zeros or garbage.
 * The value check reads the ids to the host, which is cheap next to the model.
 */
export function checkTokenIds(
  ids: unknown,
  argument: string,
  rank: 1 | 2,
  vocabSize: number,
  context: string,
  mask?: ArrayLike<number>,
): asserts ids is tf.Tensor {
  if (!(ids instanceof tf.Tensor)) {
    throw new ShapeError(argument, `an int32 tf.Tensor of rank ${rank}`, describeValue(ids), context);
  }
  const layout = rank === 1 ? '[batch]' : '[batch, time]';
  if (ids.rank !== rank) {
    throw new ShapeError(argument, `of rank ${rank} ${layout}`, `rank ${ids.rank} [${ids.shape.join(', ')}]`, context);
  }
  if (ids.dtype !== 'int32') throw new ShapeError(argument, 'int32 token ids', ids.dtype, context);
  if (ids.size === 0) throw new ShapeError(argument, `non-empty ${layout}`, `[${ids.shape.join(', ')}]`, context);
  const values = ids.dataSync();
  for (let i = 0; i < values.length; i++) {
    const id = values[i] as number;
    // Positions the mask excludes may hold anything (padding).
    if ((id < 0 || id >= vocabSize) && (mask === undefined || mask[i] !== 0)) {
      throw new ShapeError(argument, `token ids in [0, ${vocabSize})`, `${id} at ${position(i, ids.shape)}`, context);
    }
  }
}

/** Throws unless `t` is a float32 tensor of exactly `shape`. */
export function checkFloatShape(t: unknown, argument: string, shape: readonly number[], context: string): void {
  const want = `float32 of shape [${shape.join(', ')}]`;
  if (!(t instanceof tf.Tensor)) throw new ShapeError(argument, want, describeValue(t), context);
  if (t.dtype !== 'float32' || !tf.util.arraysEqual(t.shape, shape as number[])) {
    throw new ShapeError(argument, want, `${t.dtype} [${t.shape.join(', ')}]`, context);
  }
}

function position(flat: number, shape: readonly number[]): string {
  if (shape.length === 1) return `[${flat}]`;
  const cols = shape[1] as number;
  return `[${Math.floor(flat / cols)}, ${flat % cols}]`;
}

function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a plain array';
  return typeof v === 'object' ? ((v as object).constructor?.name ?? 'an object') : typeof v;
}
