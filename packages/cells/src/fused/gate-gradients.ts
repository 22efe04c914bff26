import * as tf from '@tensorflow/tfjs';
import { sumRows } from '../kernels/fast-split.js';
import { matMul2d } from '../kernels/matmul.js';
import { dropPad, padRows } from './stride-pad.js';

/*
 * The three products every fused backward takes of its stacked gate gradients
 * G ([T·B, width + pad], time-major rows; the last `pad` columns are the zero
 * stride padding of stride-pad.ts). Transposes are explicit because wasm's
 * matMul with transpose flags is slow.
 */

/** ∂L/∂W = inputᵀ·G for a projection `input · W` ([T·B, in] → [in, width]). */
export function weightGradient(input: tf.Tensor2D, G: tf.Tensor2D, pad: number): tf.Tensor2D {
  return dropPad(matMul2d(tf.transpose(input), G), pad);
}

/** ∂L/∂b: G summed over its rows ([width]). */
export function biasGradient(G: tf.Tensor2D, pad: number): tf.Tensor1D {
  return dropPad(sumRows(G), pad);
}

/** ∂L/∂input = G·Wᵀ ([T·B, in]). */
export function inputGradient(G: tf.Tensor2D, weight: tf.Tensor2D, pad: number): tf.Tensor2D {
  return matMul2d(G, padRows(tf.transpose(weight), pad));
}
