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

/**
 * {@link toPatches} on plain data, time-major: frames `[B, T, H, W, C]` (batch-major, as a
 * forecast batch holds them) become `[T, B, H/p, W/p, p·p·C]`. For the training loss, where the
 * frames are data: patching them with tfjs ops under the gradient tape would keep copies of them
 * for gradients nobody needs. `H` and `W` must be multiples of `p` (the caller checks).
 */
export function patchesTimeMajor(data: Float32Array, shape: readonly number[], patchSize: number): Float32Array {
  const [B, T, H, W, C] = shape as [number, number, number, number, number];
  const p = patchSize;
  const w = W / p;
  const D = p * p * C;
  const frame = H * W * C;
  const out = new Float32Array(data.length);
  for (let b = 0; b < B; b++)
    for (let t = 0; t < T; t++) {
      const src = (b * T + t) * frame;
      const dst = (t * B + b) * frame;
      for (let y = 0; y < H; y++) {
        const by = Math.floor(y / p);
        const ry = y % p;
        for (let x = 0; x < W; x++) {
          const o = dst + ((by * w + Math.floor(x / p)) * D + (ry * p + (x % p)) * C);
          const i = src + (y * W + x) * C;
          for (let ch = 0; ch < C; ch++) out[o + ch] = data[i + ch] as number;
        }
      }
    }
  return out;
}
