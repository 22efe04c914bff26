import * as tf from '@tensorflow/tfjs';
import type { CpuBackend, HeapBackend } from './backend-types.js';

/**
 * Splits a tensor `[T, ...rest]` into its T leading rows in one kernel call.
 * tfjs's own Unpack/Slice on wasm copy the *whole* input out of the wasm heap
 * for every slice (200 ms to unstack a [64, 32, 1024] tensor), and Gather
 * walks element by element (~1 ms per row); these kernels copy each
 * contiguous row once with a typed-array `set`. Registered for the wasm and
 * cpu backends; any other backend gets tf.unstack. Its gradient stacks the
 * incoming row gradients, so it is usable under autodiff too.
 */
export const UNSTACK_ROWS = 'SeqgenUnstackRows';

let registered = false;

function register(): void {
  if (registered) return;
  registered = true;
  const rowsOf = (x: tf.TensorInfo) => ({
    T: x.shape[0] as number,
    rest: x.shape.slice(1),
    n: tf.util.sizeFromShape(x.shape.slice(1)),
  });
  tf.registerKernel({
    kernelName: UNSTACK_ROWS,
    backendName: 'wasm',
    kernelFunc: ({ inputs, backend }) => {
      const x = inputs.x as tf.TensorInfo;
      const b = backend as unknown as HeapBackend;
      const { T, rest, n } = rowsOf(x);
      const out: tf.TensorInfo[] = [];
      for (let t = 0; t < T; t++) {
        const row = b.makeOutput(rest, x.dtype);
        // Views are taken after allocating: allocation can grow (and move) the heap.
        b.typedArrayFromHeap(row).set(b.typedArrayFromHeap(x).subarray(t * n, (t + 1) * n));
        out.push(row);
      }
      return out;
    },
  });
  tf.registerKernel({
    kernelName: UNSTACK_ROWS,
    backendName: 'cpu',
    kernelFunc: ({ inputs, backend }) => {
      const x = inputs.x as tf.TensorInfo;
      const b = backend as unknown as CpuBackend;
      const { T, rest, n } = rowsOf(x);
      const values = b.data.get(x.dataId).values;
      return Array.from({ length: T }, (_, t) => b.makeTensorInfo(rest, x.dtype, values.slice(t * n, (t + 1) * n)));
    },
  });
  tf.registerGradient({
    kernelName: UNSTACK_ROWS,
    inputsToSave: ['x'],
    gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
      const rows = dy as tf.Tensor[];
      const x = saved[0] as tf.Tensor;
      return {
        x: () =>
          tf.stack(
            rows.map((r) => r ?? tf.zeros(x.shape.slice(1))),
            0,
          ),
      };
    },
  });
}

/** The leading rows of `x` as separate tensors (fast on wasm and cpu). */
export function unstackRows(x: tf.Tensor): tf.Tensor[] {
  const backend = tf.getBackend();
  if (backend !== 'wasm' && backend !== 'cpu') return tf.unstack(x, 0);
  register();
  return tf.engine().runKernel(UNSTACK_ROWS, { x }, {}) as unknown as tf.Tensor[];
}
