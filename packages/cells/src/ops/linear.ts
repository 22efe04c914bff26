import * as tf from '@tensorflow/tfjs';
import { sumRows } from '../kernels/fast-split.js';
import { matMul2d, matMul2dT } from '../kernels/matmul.js';
import { nativeMatMul } from '../kernels/native-matmul.js';
import { saveShared } from '../kernels/save-shared.js';

/**
 * y = x·W + b over the last axis of `x` (`[..., in]` → `[..., out]`), with a
 * gradient that transposes explicitly: the wasm backend's matMul with
 * transpose flags runs ~12× slower than a plain one, and autodiff of
 * tf.matMul uses those flags.
 */
export function linear(x: tf.Tensor, kernel: tf.Tensor2D, bias?: tf.Tensor1D): tf.Tensor {
  const inSize = kernel.shape[0];
  const outShape = [...x.shape.slice(0, -1), kernel.shape[1]];
  const run = tf.customGrad((...args: unknown[]) => {
    const [xIn, W] = args as [tf.Tensor, tf.Tensor2D];
    const b = bias ? (args[2] as tf.Tensor1D) : undefined;
    const save = args[args.length - 1] as tf.GradSaveFunc;
    const x2 = tf.reshape(xIn, [-1, inSize]);
    // The native GEMM adds the bias in the same pass; elsewhere it is a separate add.
    const y: tf.Tensor =
      (b ? nativeMatMul(x2, W, false, false, b) : undefined) ?? (b ? tf.add(matMul2d(x2, W), b) : matMul2d(x2, W));
    saveShared(save, [x2, W]);
    return {
      value: tf.reshape(y, outShape),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sx2, sW] = saved as [tf.Tensor2D, tf.Tensor2D];
        const dy2 = tf.reshape(dy, [-1, sW.shape[1]]);
        const grads = [tf.reshape(matMul2dT(dy2, sW, false, true), xIn.shape), matMul2dT(sx2, dy2, true, false)];
        if (b) grads.push(sumRows(dy2 as tf.Tensor2D));
        return grads;
      },
    };
  });
  return bias ? run(x, kernel, bias) : run(x, kernel);
}
