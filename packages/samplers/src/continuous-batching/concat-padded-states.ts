import * as tf from '@tensorflow/tfjs';
import { mapStateTensors, stateTensors } from '../model-state.js';

/**
 * The rows of several states of the same structure, one after another on
 * axis 0, like `concatStates`, except that tensors whose other axes differ
 * are zero-padded at the end of each axis to the largest size first. That is
 * how rows of a conditioned model whose states hold sources of different
 * lengths (an `AttentionMemory` `[1, S, d]` with its mask `[1, S]`) share one
 * batch: the padded positions get mask 0, so attention ignores them. Returns
 * new tensors; the caller disposes the parts.
 */
export function concatPaddedStates<State>(states: readonly State[]): State {
  const parts = states.map((s) => stateTensors(s));
  let k = 0;
  return tf.tidy(
    () =>
      mapStateTensors(states[0] as State, () => {
        const at = k++;
        const tensors = parts.map((p) => p[at] as tf.Tensor);
        const rank = (tensors[0] as tf.Tensor).rank;
        const largest = Array.from({ length: rank }, (_, axis) => Math.max(...tensors.map((t) => t.shape[axis] ?? 0)));
        const padded = tensors.map((t) =>
          t.shape.every((size, axis) => axis === 0 || size === largest[axis])
            ? t
            : tf.pad(
                t,
                t.shape.map((size, axis) => [0, axis === 0 ? 0 : (largest[axis] as number) - size] as [number, number]),
              ),
        );
        return padded.length === 1 ? tf.clone(padded[0] as tf.Tensor) : tf.concat(padded, 0);
      }) as tf.TensorContainer,
  ) as State;
}
