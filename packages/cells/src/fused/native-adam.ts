import type { AdamConstants } from '@seqgen/native';
import type * as tf from '@tensorflow/tfjs';
import { registerHeapKernel, runHeapKernel } from '../kernels/js-kernel.js';
import { nativeKernels } from './native-sequence.js';

const KERNEL = 'SeqgenNativeAdamUpdate';

type Attrs = AdamConstants & Record<string, number>;

let registered = false;

function register(): void {
  if (registered) return;
  registered = true;
  // Inputs param, grad, m, v → the new param, m and v (fresh outputs: tfjs tensors are immutable).
  registerHeapKernel<Attrs>({
    name: KERNEL,
    outputShapes: ([shape]) => [shape as number[], shape as number[], shape as number[]],
    run: ([param, grad, m, v], [paramOut, mOut, vOut], _, constants) => {
      (nativeKernels() as NonNullable<ReturnType<typeof nativeKernels>>).adamUpdate(
        {
          param: param as Float32Array,
          grad: grad as Float32Array,
          m: m as Float32Array,
          v: v as Float32Array,
          paramOut: paramOut as Float32Array,
          mOut: mOut as Float32Array,
          vOut: vOut as Float32Array,
        },
        constants,
      );
    },
  });
}

/** What {@link nativeAdamUpdate} returns: the tensors to assign. */
export type AdamUpdateResult = {
  /** The updated parameter. */
  param: tf.Tensor;
  /** The updated first moment. */
  m: tf.Tensor;
  /** The updated second moment. */
  v: tf.Tensor;
};

/**
 * One Adam (AdamW) update of a parameter in `@seqgen/native`: a single pass
 * over the parameter, its gradient and both moments on the backend's own
 * memory, where the tfjs op chain makes ~14 passes and as many allocations
 * (`m' = β1·m + (1−β1)·g`, `v' = β2·v + (1−β2)·g²`,
 * `param' = param·decay − lr·(m'/c1)/(√(v'/c2) + ε)`; see `@seqgen/native`'s
 * `adamUpdate`). Returns new tensors for the caller to assign, or undefined
 * where the native kernels do not apply (another backend, no addon,
 * `SEQGEN_NATIVE=0`, a non-float32 tensor): the caller keeps its op path.
 */
export function nativeAdamUpdate(
  param: tf.Tensor,
  grad: tf.Tensor,
  m: tf.Tensor,
  v: tf.Tensor,
  constants: AdamConstants,
): AdamUpdateResult | undefined {
  if (!nativeKernels() || [param, grad, m, v].some((t) => t.dtype !== 'float32')) return undefined;
  register();
  const [p, mNext, vNext] = runHeapKernel(KERNEL, [param, grad, m, v], constants as Attrs) as [
    tf.Tensor,
    tf.Tensor,
    tf.Tensor,
  ];
  return { param: p, m: mNext, v: vNext };
}
