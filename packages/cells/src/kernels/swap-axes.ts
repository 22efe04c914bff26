import * as tf from '@tensorflow/tfjs';
import type { CpuBackend } from './backend-types.js';

/**
 * Swaps the first two axes (`[A, B, ...rest]` → `[B, A, ...rest]`): the
 * batch/time swaps and matrix transposes of the fused layers. tfjs-cpu
 * transposes element by element through index arithmetic (≈ 16 ms for a
 * 2048×256 matrix); this cpu kernel copies whole rows when `rest` is
 * non-empty and walks 32×32 tiles for a matrix (≈ 1–2 ms). Other backends get
 * tf.transpose. Differentiable (its gradient is the same swap).
 */
export const SWAP_AXES = 'SeqgenSwapAxes01';

const TILE = 32;

function swap(src: Float32Array, A: number, B: number, R: number, dst: Float32Array): void {
  if (R > 1) {
    for (let a = 0; a < A; a++) {
      for (let b = 0; b < B; b++) dst.set(src.subarray((a * B + b) * R, (a * B + b + 1) * R), (b * A + a) * R);
    }
    return;
  }
  for (let a0 = 0; a0 < A; a0 += TILE) {
    const a1 = Math.min(A, a0 + TILE);
    for (let b0 = 0; b0 < B; b0 += TILE) {
      const b1 = Math.min(B, b0 + TILE);
      for (let a = a0; a < a1; a++) {
        const row = a * B;
        for (let b = b0; b < b1; b++) dst[b * A + a] = src[row + b] as number;
      }
    }
  }
}

let registered = false;

function register(): void {
  if (registered) return;
  registered = true;
  tf.registerKernel({
    kernelName: SWAP_AXES,
    backendName: 'cpu',
    kernelFunc: ({ inputs, backend }) => {
      const x = inputs.x as tf.TensorInfo;
      const cpu = backend as unknown as CpuBackend<Float32Array>;
      const [A, B, ...rest] = x.shape as number[];
      const src = cpu.data.get(x.dataId).values;
      const dst = new Float32Array(src.length);
      swap(src, A as number, B as number, tf.util.sizeFromShape(rest), dst);
      return cpu.makeTensorInfo([B as number, A as number, ...rest], 'float32', dst);
    },
  });
  tf.registerGradient({
    kernelName: SWAP_AXES,
    gradFunc: (dy: tf.Tensor | tf.Tensor[]) => ({ x: () => swapAxes01(dy as tf.Tensor) }),
  });
}

/** `x` with its first two axes swapped. */
export function swapAxes01<T extends tf.Tensor>(x: T): T {
  if (tf.getBackend() !== 'cpu' || x.dtype !== 'float32' || x.rank < 2) {
    if (x.rank > 3) {
      // The trailing axes move as one block: a rank-3 transpose (wasm's rank-5 transpose of a
      // ConvLSTM's [T, B, H, W, C] took ~70 ms where this takes ~1 ms).
      const [A, B, ...rest] = x.shape as number[];
      return tf.tidy(() =>
        tf.reshape(tf.transpose(tf.reshape(x, [A as number, B as number, -1]), [1, 0, 2]), [
          B as number,
          A as number,
          ...rest,
        ]),
      ) as T;
    }
    const perm = x.shape.map((_, i) => i);
    perm[0] = 1;
    perm[1] = 0;
    return tf.transpose(x, perm) as T;
  }
  register();
  return tf.engine().runKernel(SWAP_AXES, { x }, {}) as T;
}
