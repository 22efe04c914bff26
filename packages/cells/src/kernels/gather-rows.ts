import * as tf from '@tensorflow/tfjs';
import type { CpuBackend, HeapBackend, Values } from './backend-types.js';

/**
 * Rows `indices` of a float32 table (axis 0) as whole-row copies on the wasm
 * and cpu backends: tfjs-backend-wasm's GatherV2 walks every element through
 * index arithmetic (≈ 20 ms of CPU for the 1,280 embedding rows of a
 * translation batch on a busy machine), a row copy is a `set` per row.
 * Ids out of range go to tf.gather (and its behaviour). No gradient: the embedding calls it
 * inside its own custom gradient.
 */
export const GATHER_TABLE_ROWS = 'SeqgenGatherTableRows';

function copyRows(src: Values, rows: Values, width: number, dst: Values): void {
  for (let i = 0; i < rows.length; i++) {
    const from = (rows[i] as number) * width;
    dst.set(src.subarray(from, from + width), i * width);
  }
}

let registered = false;

function register(): void {
  if (registered) return;
  registered = true;
  tf.registerKernel({
    kernelName: GATHER_TABLE_ROWS,
    backendName: 'wasm',
    kernelFunc: ({ inputs, backend }) => {
      const heap = backend as unknown as HeapBackend;
      const x = inputs.x as tf.TensorInfo;
      const indices = inputs.indices as tf.TensorInfo;
      const width = x.shape[1] as number;
      const out = heap.makeOutput([indices.shape[0] as number, width], 'float32');
      // Views after the allocation: allocating can grow (and move) the wasm heap.
      copyRows(heap.typedArrayFromHeap(x), heap.typedArrayFromHeap(indices), width, heap.typedArrayFromHeap(out));
      return out;
    },
  });
  tf.registerKernel({
    kernelName: GATHER_TABLE_ROWS,
    backendName: 'cpu',
    kernelFunc: ({ inputs, backend }) => {
      const cpu = backend as unknown as CpuBackend;
      const x = inputs.x as tf.TensorInfo;
      const indices = inputs.indices as tf.TensorInfo;
      const width = x.shape[1] as number;
      const count = indices.shape[0] as number;
      const dst = new Float32Array(count * width);
      copyRows(cpu.data.get(x.dataId).values, cpu.data.get(indices.dataId).values, width, dst);
      return cpu.makeTensorInfo([count, width], 'float32', dst);
    },
  });
}

/** `tf.gather(table, ids)` for a float32 `[vocab, dim]` table and int32 ids `[n]`. */
export function gatherTableRows(table: tf.Tensor2D, ids: tf.Tensor1D): tf.Tensor2D {
  const backend = tf.getBackend();
  if ((backend !== 'wasm' && backend !== 'cpu') || table.dtype !== 'float32') return tf.gather(table, ids);
  const vocab = table.shape[0];
  if (ids.dtype !== 'int32' || ids.dataSync().some((id) => id < 0 || id >= vocab)) return tf.gather(table, ids);
  register();
  return tf.engine().runKernel(GATHER_TABLE_ROWS, { x: table, indices: ids }, {}) as tf.Tensor2D;
}
