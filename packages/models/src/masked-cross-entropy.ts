import * as tf from '@tensorflow/tfjs';
import { fusedCrossEntropy } from './fused-cross-entropy.js';

/**
 * Mean next-token cross-entropy over the positions `mask` counts.
 * `logits` `[B, T, V]`, `targets` int32 `[B, T]`, `mask` float `[B, T]` of 0/1.
 * With no counted token the loss is 0 (not NaN), so an all-padding batch
 * cannot poison training. On wasm and cpu it is one fused pass each way
 * (`@seqgen/native` where it loads); elsewhere it is composed from tfjs ops.
 */
export function maskedCrossEntropy(
  logits: tf.Tensor,
  targets: tf.Tensor,
  mask: tf.Tensor | undefined,
  tokens: number,
): tf.Scalar {
  return tf.tidy(() => {
    const fused = fusedCrossEntropy(logits, targets, mask ?? tf.onesLike(targets), tokens, 0);
    if (fused) return fused;
    // The target log-probability is picked with a one-hot product, not `tf.gather`,
    // whose gradient the wasm backend cannot run.
    const vocab = logits.shape[logits.rank - 1] as number;
    const logProbs = tf.logSoftmax(logits);
    const picked = tf.sum(tf.mul(logProbs, tf.cast(tf.oneHot(targets, vocab), 'float32')), -1);
    const nll = tf.neg(mask ? tf.mul(picked, mask) : picked);
    return tf.div(tf.sum(nll), Math.max(tokens, 1)) as tf.Scalar;
  });
}
