import * as tf from '@tensorflow/tfjs';

const SIGMOID_FORM_MIN_SIZE = 2048;

/**
 * tanh(x). On the wasm backend it is computed as 2·σ(2x) − 1: tfjs-backend-wasm's
 * Tanh is a scalar loop (~110 µs for 32×256 values, 8 ms for 64×32×256) while its
 * Sigmoid is XNNPACK's vectorized one, so for tensors of 2,048 values or more the
 * four-op form is 2.6–8× faster and
 * within 2e-7 of tf.tanh. Other backends use their own tanh. Differentiable
 * either way (autodiff through the ops).
 */
export function tanh<T extends tf.Tensor>(x: T): T {
  // Below ~2,000 values the three extra kernel launches cost more than the slow loop saves.
  if (x.size < SIGMOID_FORM_MIN_SIZE || tf.getBackend() !== 'wasm') return tf.tanh(x);
  return tf.tidy(() => tf.sub(tf.mul(tf.sigmoid(tf.mul(x, 2)), 2), 1)) as T;
}
