import { linear, sameConv2d } from '@seqgen/cells';
import * as tf from '@tensorflow/tfjs';

/**
 * A stride-1, 'same'-padded 1-D convolution over time: `x` `[B, T, C]`,
 * `kernel` `[K, C, F]`, `bias` `[F]` → `[B, T, F]`. Written as the cells'
 * `sameConv2d` on a `[B, T, 1, C]` image, because `tf.conv1d` cannot train on
 * the wasm backend (no Conv2DBackpropFilter kernel there). A width-1 kernel is
 * a dense layer.
 */
export function sameConv1d(x: tf.Tensor3D, kernel: tf.Tensor3D, bias: tf.Tensor1D): tf.Tensor3D {
  const [B, T, C] = x.shape;
  const [K, , F] = kernel.shape;
  if (K === 1) return linear(x, tf.reshape(kernel, [C, F]) as tf.Tensor2D, bias) as tf.Tensor3D;
  const image = tf.reshape(x, [B, T, 1, C]);
  const y = sameConv2d(image, tf.reshape(kernel, [K, 1, C, F]));
  return tf.add(tf.reshape(y, [B, T, F]), bias) as tf.Tensor3D;
}
