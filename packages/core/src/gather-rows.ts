import * as tf from '@tensorflow/tfjs';

/**
 * Rows `indices` of a tensor (axis 0), as whole-row copies where the backend
 * keeps tensors in this process. The wasm backend's GatherV2 walks every
 * element through index arithmetic: repeating an attention decoder's
 * `[64, 20, 256]` memory for 5 beams took ≈ 150 ms there, a row copy well
 * under a millisecond. Other backends get `tf.gather(x, indices, 0)`. Exact
 * (a copy) and without gradient: samplers reorder state outside any tape.
 */
export const GATHER_ROWS = 'SeqgenGatherRows';

/** The parts of tfjs's wasm and cpu backends this kernel uses (not in tfjs's public types). */
type WasmBackend = {
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(t: tf.TensorInfo): tf.TypedArray;
};
type CpuBackend = {
  data: { get(dataId: tf.DataId): { values: tf.TypedArray } };
  makeTensorInfo(shape: number[], dtype: tf.DataType, values: tf.TypedArray): tf.TensorInfo;
};

function copyRows(src: tf.TypedArray, rows: Int32Array | tf.TypedArray, width: number, dst: tf.TypedArray): void {
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
    kernelName: GATHER_ROWS,
    backendName: 'wasm',
    kernelFunc: ({ inputs, backend }) => {
      const heap = backend as unknown as WasmBackend;
      const x = inputs.x as tf.TensorInfo;
      const indices = inputs.indices as tf.TensorInfo;
      const out = heap.makeOutput([indices.shape[0] as number, ...x.shape.slice(1)], x.dtype);
      // Views after the allocation: allocating can grow (and move) the wasm heap.
      const width = tf.util.sizeFromShape(x.shape.slice(1));
      copyRows(heap.typedArrayFromHeap(x), heap.typedArrayFromHeap(indices), width, heap.typedArrayFromHeap(out));
      return out;
    },
  });
  tf.registerKernel({
    kernelName: GATHER_ROWS,
    backendName: 'cpu',
    kernelFunc: ({ inputs, backend }) => {
      const cpu = backend as unknown as CpuBackend;
      const x = inputs.x as tf.TensorInfo;
      const indices = inputs.indices as tf.TensorInfo;
      const shape = [indices.shape[0] as number, ...x.shape.slice(1)];
      const src = cpu.data.get(x.dataId).values;
      const dst = new (src.constructor as new (n: number) => tf.TypedArray)(tf.util.sizeFromShape(shape));
      copyRows(src, cpu.data.get(indices.dataId).values, tf.util.sizeFromShape(x.shape.slice(1)), dst);
      return cpu.makeTensorInfo(shape, x.dtype, dst);
    },
  });
}

/** `tf.gather(x, indices, 0)`, by whole-row copies on the wasm and cpu backends (see {@link GATHER_ROWS}). */
export function gatherRows(x: tf.Tensor, indices: tf.Tensor1D): tf.Tensor {
  const backend = tf.getBackend();
  const copyable = x.dtype === 'float32' || x.dtype === 'int32';
  if ((backend !== 'wasm' && backend !== 'cpu') || !copyable || x.rank === 0) return tf.gather(x, indices, 0);
  const rows = x.shape[0] as number;
  // An index out of range goes to tf.gather, whose error names it.
  if (indices.dtype !== 'int32' || indices.dataSync().some((i) => i < 0 || i >= rows)) return tf.gather(x, indices, 0);
  register();
  return tf.engine().runKernel(GATHER_ROWS, { x, indices }, {}) as tf.Tensor;
}
