import type * as tf from '@tensorflow/tfjs';

/*
 * The parts of tfjs's cpu and wasm backends that seqgen's JavaScript kernels
 * use (not in tfjs's public types): where a tensor's values live and how an
 * output is allocated.
 */

export type Values = Float32Array | Int32Array | Uint8Array;

/** tfjs-backend-cpu: values are plain typed arrays kept by data id. */
export interface CpuBackend<V extends Values = Values> {
  data: { get(dataId: tf.DataId): { values: V } };
  makeTensorInfo(shape: number[], dtype: tf.DataType, values: V): tf.TensorInfo;
}

/** tfjs-backend-wasm: values are views of the wasm heap. */
export interface HeapBackend<V extends Values = Values> {
  typedArrayFromHeap(t: tf.TensorInfo): V;
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
}
