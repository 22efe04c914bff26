import * as tf from '@tensorflow/tfjs';
import { fastSplit, sumRows } from '../kernels/fast-split.js';
import { matMul2d } from '../kernels/matmul.js';
import { swapAxes01 } from '../kernels/swap-axes.js';
import { dropPad, padRows } from './stride-pad.js';

/*
 * The products every fused backward takes of its stacked gate gradients
 * G ([T·B, width + pad], time-major rows; the last `pad` columns are the zero
 * stride padding of stride-pad.ts). Transposes are explicit because wasm's
 * matMul with transpose flags is slow.
 */

/** `[x₁ | x₂ | …]ᵀ` for inputs `[T·B, inₖ]`: one transpose for all the projections that meet the same gate gradient. */
export function jointTranspose(inputs: tf.Tensor2D[]): tf.Tensor2D {
  // Transposed one by one and stacked by rows: wasm transposes a [T·B, 512] slower than two [T·B, 256].
  return inputs.length === 1
    ? swapAxes01(inputs[0] as tf.Tensor2D)
    : tf.concat(
        inputs.map((x) => swapAxes01(x)),
        0,
      );
}

/**
 * ∂L/∂Wₖ = xₖᵀ·G for every projection `xₖ · Wₖ` fed by the same gate gradient,
 * taken as one product `[x₁ | x₂ | …]ᵀ·G` split by rows. One product, because
 * XNNPACK (wasm) packs its fresh right operand G on every call, and for a
 * 2048×1032 G that packing costs as much as a 256-row product itself.
 * `inputsT` comes from jointTranspose; `sizes` are the inₖ.
 */
export function weightGradients(inputsT: tf.Tensor2D, sizes: number[], G: tf.Tensor2D, pad: number): tf.Tensor2D[] {
  const all = dropPad(matMul2d(inputsT, G), pad);
  return sizes.length === 1 ? [all] : (fastSplit(all, sizes, 0) as tf.Tensor2D[]);
}

/** ∂L/∂b: G summed over its rows ([width]). */
export function biasGradient(G: tf.Tensor2D, pad: number): tf.Tensor1D {
  return dropPad(sumRows(G), pad);
}

/** ∂L/∂input = G·Wᵀ ([T·B, in]). */
export function inputGradient(G: tf.Tensor2D, weight: tf.Tensor2D, pad: number): tf.Tensor2D {
  return matMul2d(G, padRows(swapAxes01(weight), pad));
}
