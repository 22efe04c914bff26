import { ShapeError } from '@seqgen/core';
import * as tf from '@tensorflow/tfjs';

/**
 * Space-to-depth, as OpenSTL's `reshape_patch`: frames `[N, H, W, C]` become
 * `[N, H/p, W/p, p·p·C]`, each p×p block of pixels one position whose
 * channels run over (row in block, column in block, channel). Built from
 * reshape + transpose, whose gradients every backend has.
 */
export function toPatches(frames: tf.Tensor4D, patchSize: number): tf.Tensor4D {
  const [N, H, W, C] = frames.shape;
  const p = patchSize;
  if (p === 1) return frames;
  if (H % p !== 0 || W % p !== 0) {
    throw new ShapeError(
      'frames',
      `height and width divisible by the patch size ${p}`,
      `[${frames.shape.join(', ')}]`,
      'toPatches',
    );
  }
  return tf.tidy(() => {
    const blocks = tf.reshape(frames, [N, H / p, p, W / p, p, C]);
    return tf.reshape(tf.transpose(blocks, [0, 1, 3, 2, 4, 5]), [N, H / p, W / p, p * p * C]) as tf.Tensor4D;
  });
}

/** The inverse of {@link toPatches}: `[N, h, w, p·p·C]` back to frames `[N, h·p, w·p, C]`. */
export function fromPatches(patches: tf.Tensor4D, patchSize: number): tf.Tensor4D {
  const [N, h, w, D] = patches.shape;
  const p = patchSize;
  if (p === 1) return patches;
  if (D % (p * p) !== 0) {
    throw new ShapeError(
      'patches',
      `channels divisible by patchSize² (${p * p})`,
      `[${patches.shape.join(', ')}]`,
      'fromPatches',
    );
  }
  const C = D / (p * p);
  return tf.tidy(() => {
    const blocks = tf.reshape(patches, [N, h, w, p, p, C]);
    return tf.reshape(tf.transpose(blocks, [0, 1, 3, 2, 4, 5]), [N, h * p, w * p, C]) as tf.Tensor4D;
  });
}
