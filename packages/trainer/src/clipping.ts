import * as tf from '@tensorflow/tfjs';

/** How gradients are clipped before the update. */
export type ClipConfig = NormClipConfig | ValueClipConfig | NoClipConfig;

/** {@link ClipConfig} for global-norm clipping: every gradient is scaled by `maxNorm / max(norm, maxNorm)`. */
export type NormClipConfig = {
  /** Selects global-norm clipping (the default, with `maxNorm` 5). */
  type: 'norm';
  /** Largest Euclidean norm of all gradients taken together; above it they are scaled down, keeping their direction. */
  maxNorm: number;
};

/** {@link ClipConfig} for value clipping: each gradient element is clamped to `[-value, value]`. */
export type ValueClipConfig = {
  /** Selects element-wise value clipping. */
  type: 'value';
  /** Largest absolute value of any gradient element. */
  value: number;
};

/** {@link ClipConfig} that leaves gradients as they are. */
export type NoClipConfig = {
  /** Selects no clipping. */
  type: 'none';
};

/** The default: global-norm clipping at 5, as char-rnn and most RNN recipes do. */
export const DEFAULT_CLIP: ClipConfig = { type: 'norm', maxNorm: 5 };

/** Euclidean norm of all gradients taken together, as a scalar tensor. */
export function globalNorm(grads: readonly tf.Tensor[]): tf.Scalar {
  return tf.tidy(() => {
    if (grads.length === 0) return tf.scalar(0);
    const squares = grads.map((g) => tf.sum(tf.square(g)));
    return tf.sqrt(tf.addN(squares)) as tf.Scalar;
  });
}

/**
 * Clips `grads` (returns new tensors; the inputs are not disposed). Global-norm
 * clipping rescales every gradient by `maxNorm / max(norm, maxNorm)`, so the
 * direction is kept; value clipping clamps each element.
 */
export function clipGradients(
  grads: Record<string, tf.Tensor>,
  norm: tf.Scalar,
  clip: ClipConfig,
): Record<string, tf.Tensor> {
  return tf.tidy(() => {
    const out: Record<string, tf.Tensor> = {};
    if (clip.type === 'norm') {
      const scale = tf.div(clip.maxNorm, tf.maximum(norm, clip.maxNorm));
      for (const [name, g] of Object.entries(grads)) out[name] = tf.mul(g, scale);
    } else if (clip.type === 'value') {
      for (const [name, g] of Object.entries(grads)) out[name] = tf.clipByValue(g, -clip.value, clip.value);
    } else {
      for (const [name, g] of Object.entries(grads)) out[name] = tf.clone(g);
    }
    return out;
  });
}
