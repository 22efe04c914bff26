import * as tf from '@tensorflow/tfjs';
import { registerHeapKernel, runHeapKernel } from '../kernels/js-kernel.js';
import { saveShared } from '../kernels/save-shared.js';
import { nativeKernels } from './native-sequence.js';

const FORWARD = 'SeqgenNativeCrossEntropy';
const BACKWARD = 'SeqgenNativeCrossEntropyGrad';

type Attrs = { rows: number; V: number; epsilon: number; scale: number };

const native = () => nativeKernels() as NonNullable<ReturnType<typeof nativeKernels>>;

/** The cpu backend may keep a cast's int32 values as they were: the kernels read ids and weights as floats. */
const floats = (values: ArrayLike<number>) => (values instanceof Float32Array ? values : Float32Array.from(values));

let registered = false;

function register(): void {
  if (registered) return;
  registered = true;
  // Inputs logits [rows, V], targets [rows] (as floats), weights [rows] → probs [rows, V] and the loss [1].
  registerHeapKernel<Attrs>({
    name: FORWARD,
    outputShapes: (_, { rows, V }) => [[rows, V], [1]],
    run: ([logits, targets, weights], [probs, loss], _, { rows, V, epsilon, scale }) => {
      const total = native().crossEntropyForward(
        { rows, V },
        {
          logits: logits as Float32Array,
          targets: floats(targets as ArrayLike<number>),
          weights: floats(weights as ArrayLike<number>),
          epsilon,
          probs: probs as Float32Array,
        },
      );
      (loss as Float32Array)[0] = total * scale;
    },
  });
  // Inputs probs, targets, weights, dy [1] → the gradient of the logits [rows, V].
  registerHeapKernel<Attrs>({
    name: BACKWARD,
    outputShapes: (_, { rows, V }) => [[rows, V]],
    run: ([probs, targets, weights, dy], [grad], _, { rows, V, epsilon, scale }) => {
      native().crossEntropyBackward(
        { rows, V },
        {
          probs: probs as Float32Array,
          targets: floats(targets as ArrayLike<number>),
          weights: floats(weights as ArrayLike<number>),
          epsilon,
          scale: ((dy as Float32Array)[0] as number) * scale,
          grad: grad as Float32Array,
        },
      );
    },
  });
}

/**
 * Label-smoothed softmax cross-entropy of `logits` `[..., V]` against integer
 * `targets` `[...]`, weighted by `mask` `[...]` and divided by
 * `max(tokens, 1)`, in `@seqgen/native`: one native pass forward (the softmax
 * kept) and one backward (`(softmax − (1−ε)·onehot − ε/V) · mask / tokens`),
 * on the tensors' own memory. Differentiable in `logits`. Undefined where the
 * native kernels do not apply (the caller keeps its own path); targets must be
 * ids in `[0, V)` (a `ShapeError` names the first that is not).
 */
export function nativeCrossEntropy(
  logits: tf.Tensor,
  targets: tf.Tensor,
  mask: tf.Tensor,
  tokens: number,
  epsilon: number,
): tf.Scalar | undefined {
  if (logits.dtype !== 'float32' || !nativeKernels()) return undefined;
  register();
  const V = logits.shape[logits.rank - 1] as number;
  const rows = logits.size / V;
  const attrs: Attrs = { rows, V, epsilon, scale: 1 / Math.max(tokens, 1) };
  return tf.tidy(() => {
    const ids = tf.reshape(tf.cast(targets, 'float32'), [rows]);
    const weights = tf.reshape(tf.cast(mask, 'float32'), [rows]);
    const loss = tf.customGrad((...args: unknown[]) => {
      const x = args[0] as tf.Tensor;
      const save = args[args.length - 1] as tf.GradSaveFunc;
      const [probs, value] = runHeapKernel(FORWARD, [tf.reshape(x, [rows, V]), ids, weights], attrs) as [
        tf.Tensor2D,
        tf.Tensor1D,
      ];
      saveShared(save, [probs, ids, weights]);
      return {
        value: tf.reshape(value, []),
        gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
          const [p, t, w] = saved as [tf.Tensor, tf.Tensor, tf.Tensor];
          const [grad] = runHeapKernel(BACKWARD, [p, t, w, tf.reshape(dy, [1])], attrs) as [tf.Tensor];
          return tf.reshape(grad, x.shape);
        },
      };
    });
    return loss(logits) as tf.Scalar;
  });
}
