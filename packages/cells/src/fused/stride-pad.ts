import * as tf from '@tensorflow/tfjs';
import { fastSplit } from '../kernels/fast-split.js';

/**
 * Zero columns to append to a `[T·B, width]` gradient that becomes the right
 * operand of a weight-gradient matmul. XNNPACK (tfjs-backend-wasm) repacks
 * that operand on every call, and with a row stride that is a multiple of
 * 1 KiB (256 floats) the packing's strided reads alias in the cache: a
 * 2048×1024 operand takes ~11 ms to pack and a 2048×1032 one ~3 ms;
 * 2048×768 ~4.7 ms and 2048×776 ~2.2 ms.
 */
export function stridePad(width: number): number {
  return width % 256 === 0 ? 8 : 0;
}

/** `x` with `pad` zero rows appended (a transposed weight that meets a padded gradient). */
export function padRows(x: tf.Tensor2D, pad: number): tf.Tensor2D {
  return pad ? tf.concat([x, tf.zeros([pad, x.shape[1]])], 0) : x;
}

/** `x` without its last `pad` entries along the last axis. */
export function dropPad<T extends tf.Tensor>(x: T, pad: number): T {
  if (!pad) return x;
  const axis = x.rank - 1;
  return fastSplit(x, [(x.shape[axis] as number) - pad, pad], axis)[0] as T;
}
