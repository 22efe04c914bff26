import * as tf from '@tensorflow/tfjs';

interface RefCountingBackend {
  incRef(dataId: tf.DataId): void;
}

/** Identity that shares the input's memory (refcounted, as the cpu backend's Identity and every Reshape do). */
const sharingIdentity: tf.KernelConfig = {
  kernelName: 'Identity',
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend }) => {
    const x = inputs.x as tf.TensorInfo;
    (backend as unknown as RefCountingBackend).incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  },
};

/**
 * A custom gradient's `save(tensors)`, without copying them. tfjs keeps saved
 * tensors by cloning them, and the wasm backend's Identity copies the whole
 * buffer: for the fused layers that is ~17 MB of copies per layer per step.
 * Tensors are immutable, so sharing the buffer is exact; the sharing Identity
 * is registered only for the duration of the call (JavaScript runs nothing in
 * between) and tfjs's own is put back.
 */
export function saveShared(save: tf.GradSaveFunc, tensors: tf.Tensor[]): void {
  const original = tf.getBackend() === 'wasm' ? tf.getKernel('Identity', 'wasm') : undefined;
  if (!original) {
    save(tensors);
    return;
  }
  tf.unregisterKernel('Identity', 'wasm');
  tf.registerKernel(sharingIdentity);
  try {
    save(tensors);
  } finally {
    tf.unregisterKernel('Identity', 'wasm');
    tf.registerKernel(original);
  }
}
