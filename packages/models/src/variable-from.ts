import * as tf from '@tensorflow/tfjs';

/** A trainable variable holding `initial`, which is disposed: the variable keeps its own copy. */
export function variableFrom(initial: tf.Tensor): tf.Variable {
  const v = tf.variable(initial, true);
  initial.dispose();
  return v;
}
