import * as tf from '@tensorflow/tfjs';

/**
 * `x` with its gradient cut (tfjs has no `stopGradient`): the value passes
 * through, and nothing flows back to what computed it. Scheduled sampling
 * feeds a model's own guesses back this way, as Bengio et al. (2015) do.
 */
export function withoutGradient<T extends tf.Tensor>(x: T): T {
  const cut = tf.customGrad((...args: unknown[]) => {
    const input = args[0] as tf.Tensor;
    return { value: tf.clone(input), gradFunc: (dy: tf.Tensor) => tf.zerosLike(dy) };
  });
  return cut(x) as T;
}
