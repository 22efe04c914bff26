import * as tf from '@tensorflow/tfjs';
import { registerHeapKernel, runHeapKernel } from '../kernels/js-kernel.js';
import { saveShared } from '../kernels/save-shared.js';
import { nativeKernels } from './native-sequence.js';

const FORWARD = 'SeqgenNativeAdditiveAttention';
const BACKWARD = 'SeqgenNativeAdditiveAttentionGrad';

type Sizes = { B: number; S: number; U: number; D: number };

let registered = false;

function register(): void {
  if (registered) return;
  registered = true;
  // Inputs keys, q, v, mask, memory → out [B, S + D] (weights, then context) and tanh(keys + q) [B, S, U].
  registerHeapKernel<Sizes>({
    name: FORWARD,
    outputShapes: (_, { B, S, U, D }) => [
      [B, S + D],
      [B, S, U],
    ],
    run: ([keys, q, v, mask, memory], [out, tanh], _, shape) => {
      (nativeKernels() as NonNullable<ReturnType<typeof nativeKernels>>).attentionForward(shape, {
        keys: keys as Float32Array,
        q: q as Float32Array,
        v: v as Float32Array,
        mask: mask as Float32Array,
        memory: memory as Float32Array,
        tanh: tanh as Float32Array,
        out: out as Float32Array,
      });
    },
  });
  // Inputs dy, tanh, out, v, memory → dkeys, dq, dv, dmemory.
  registerHeapKernel<Sizes>({
    name: BACKWARD,
    outputShapes: (_, { B, S, U, D }) => [[B, S, U], [B, U], [U], [B, S, D]],
    run: ([dy, tanh, out, v, memory], [dkeys, dq, dv, dmemory], _, shape) => {
      (nativeKernels() as NonNullable<ReturnType<typeof nativeKernels>>).attentionBackward(shape, {
        dy: dy as Float32Array,
        tanh: tanh as Float32Array,
        out: out as Float32Array,
        v: v as Float32Array,
        memory: memory as Float32Array,
        dkeys: dkeys as Float32Array,
        dq: dq as Float32Array,
        dv: dv as Float32Array,
        dmemory: dmemory as Float32Array,
      });
    },
  });
}

/** What {@link nativeAdditiveAttention} returns. */
export type NativeAttentionStep = {
  /** Masked attention weights `[B, S]` (exactly 0 where the mask is 0). */
  weights: tf.Tensor2D;
  /** `Σ_s weights · memory` `[B, D]`. */
  context: tf.Tensor2D;
};

/**
 * One step of additive (Bahdanau) attention in `@seqgen/native`, forward and
 * backward each one native call on the tensors' own memory: from the
 * precomputed `keys` `[B, S, U]` (`W·memory + b`) and the projected query `q`
 * `[B, U]`, scores `v · tanh(keys + q)` with −1e9 added where `mask` `[B, S]`
 * is 0, the softmax, the weights multiplied by the mask, and the context
 * `Σ_s weights · memory` (`memory` `[B, S, D]`). Differentiable in `keys`,
 * `q`, `v` and `memory` (not `mask`). Undefined where the native kernels do
 * not apply (another backend, no addon, `SEQGEN_NATIVE=0`, non-float32
 * tensors): the caller keeps its own path.
 */
export function nativeAdditiveAttention(
  keys: tf.Tensor3D,
  q: tf.Tensor2D,
  v: tf.Tensor1D,
  mask: tf.Tensor2D,
  memory: tf.Tensor3D,
): NativeAttentionStep | undefined {
  if (![keys, q, v, mask, memory].every((t) => t.dtype === 'float32') || !nativeKernels()) return undefined;
  register();
  const [B, S, U] = keys.shape;
  const D = memory.shape[2];
  const sizes: Sizes = { B, S, U, D };
  const step = tf.customGrad((...args: unknown[]) => {
    const [k, query, vector, mem] = args as [tf.Tensor3D, tf.Tensor2D, tf.Tensor1D, tf.Tensor3D];
    const save = args[args.length - 1] as tf.GradSaveFunc;
    const [out, tanh] = runHeapKernel(FORWARD, [k, query, vector, mask, mem], sizes) as [tf.Tensor2D, tf.Tensor3D];
    saveShared(save, [tanh, out, vector, mem]);
    return {
      value: out,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [t, o, sv, sm] = saved as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor];
        return runHeapKernel(BACKWARD, [dy, t, o, sv, sm], sizes);
      },
    };
  });
  const both = step(keys, q, v, memory) as tf.Tensor2D;
  const weights = tf.slice(both, [0, 0], [B, S]) as tf.Tensor2D;
  const context = tf.slice(both, [0, S], [B, D]) as tf.Tensor2D;
  return { weights, context };
}
