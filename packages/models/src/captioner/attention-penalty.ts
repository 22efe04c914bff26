import * as tf from '@tensorflow/tfjs';

/**
 * The doubly stochastic attention regularizer of Show, Attend and Tell
 * (Xu et al. 2015, eq. 14): over each image's memory positions, the squared
 * gap between 1 and the attention that position received over the whole
 * caption, `(1 − Σ_t α_t,pos)²`. It pushes the decoder to look at every part
 * of the image at some point rather than at one place throughout. Here it is
 * averaged over positions and images (so λ does not scale with the feature
 * map's size); `weights` `[B, T, S]`, `mask` `[B, T]` counts the real steps.
 */
export function attentionPenalty(weights: tf.Tensor3D, mask: tf.Tensor2D): tf.Scalar {
  return tf.tidy(() => {
    const received = tf.sum(tf.mul(weights, tf.expandDims(mask, 2)), 1); // [B, S]
    return tf.mean(tf.square(tf.sub(1, received))) as tf.Scalar;
  });
}
