import * as tf from '@tensorflow/tfjs';
import { fastSplit } from '../kernels/fast-split.js';
import { affine, matMul2d } from '../kernels/matmul.js';
import { saveShared } from '../kernels/save-shared.js';
import { swapAxes01 } from '../kernels/swap-axes.js';
import { tanh } from '../ops/tanh.js';
import { biasGradient, inputGradient, jointTranspose, weightGradients } from './gate-gradients.js';
import { nativeKernels, nativeSequence } from './native-sequence.js';
import { steps, swapBatchTime, timeOrder } from './time-order.js';

/**
 * Fused vanilla RNN, h' = act(x·W + b + h·U), with the same recipe as the
 * LSTM kernel. Returns `[B, T + 1, H]`: outputs then the final h.
 */
export function simpleRnnSequence(
  x: tf.Tensor3D,
  kernel: tf.Tensor2D,
  recurrentKernel: tf.Tensor2D,
  bias: tf.Tensor1D,
  h0: tf.Tensor2D,
  activation: 'tanh' | 'relu',
  mask: tf.Tensor3D | undefined,
  reverse: boolean,
): { outputs: tf.Tensor3D; h: tf.Tensor2D } {
  const [B, T] = x.shape;
  const H = recurrentKernel.shape[0];
  const act = activation === 'tanh' ? tanh : tf.relu;
  const run = tf.customGrad((...args: unknown[]) => {
    const [xIn, W, U, b, hInit] = args as tf.Tensor[];
    const m = mask ? (args[5] as tf.Tensor3D) : undefined;
    const save = args[args.length - 1] as tf.GradSaveFunc;
    const I = xIn!.shape[2] as number;
    const mt = m ? swapBatchTime(m) : undefined;
    const x2 = tf.reshape(swapBatchTime(xIn!), [T * B, I]);
    const xs = steps(tf.reshape(affine(x2, W as tf.Tensor2D, b!), [T, B, H]));
    const ms = mt ? steps(mt) : undefined;
    const ys: tf.Tensor[] = new Array(T);
    const hPrev: tf.Tensor[] = new Array(T);
    let h = hInit as tf.Tensor;
    for (const t of timeOrder(T, reverse)) {
      hPrev[t] = h;
      const hNew = act(tf.add(xs[t]!, matMul2d(h, U as tf.Tensor2D)));
      ys[t] = hNew;
      h = ms ? tf.add(h, tf.mul(ms[t]!, tf.sub(hNew, h))) : hNew;
    }
    const Y = tf.stack(ys, 0);
    const outputs = mt ? tf.mul(Y, mt) : Y;
    saveShared(save, [x2, W!, U!, Y, tf.stack(hPrev, 0), ...(mt ? [mt] : [])]);
    return {
      value: swapBatchTime(tf.concat([outputs, tf.expandDims(h, 0)], 0)),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        // Only saved tensors may be used here: tfjs disposes the forward pass's own tensors before backprop.
        const m = mask ? (saved[saved.length - 1] as tf.Tensor3D) : undefined;
        const [sx2, sW, sU, SY, HP] = saved as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D, tf.Tensor3D, tf.Tensor3D];
        const [dOut, dhT] = fastSplit(swapBatchTime(dy), [T, 1], 0);
        const D = activation === 'tanh' ? tf.sub(1, tf.square(SY)) : tf.cast(tf.greater(SY, 0), 'float32');
        const ds = steps(D);
        const dys = steps(m ? tf.mul(dOut!, m) : dOut!);
        const ms2 = m ? steps(m) : undefined;
        const UT = swapAxes01(sU);
        let dhC: tf.Tensor = tf.squeeze(dhT!, [0]);
        const dps: tf.Tensor[] = new Array(T);
        for (const t of timeOrder(T, !reverse)) {
          const mt = ms2?.[t];
          const dh = mt ? tf.add(tf.mul(dhC, mt), dys[t]!) : tf.add(dhC, dys[t]!);
          const dp = tf.mul(dh, ds[t]!);
          dps[t] = dp;
          let carry = matMul2d(dp, UT);
          if (mt) carry = tf.add(carry, tf.sub(dhC, tf.mul(dhC, mt)));
          dhC = carry;
        }
        const dP = tf.reshape(tf.stack(dps, 0), [T * B, H]) as tf.Tensor2D;
        const dX = swapBatchTime(tf.reshape(inputGradient(dP, sW, 0), [T, B, sx2.shape[1]]));
        const inputsT = jointTranspose([sx2, tf.reshape(HP, [T * B, H])]);
        const [dW, dU] = weightGradients(inputsT, [sx2.shape[1], H], dP, 0) as [tf.Tensor2D, tf.Tensor2D];
        const grads = [dX, dW, dU, biasGradient(dP, 0), dhC];
        if (m) grads.push(tf.zeros([B, T, 1]));
        return grads;
      },
    };
  });
  const inputs: tf.Tensor[] = [x, kernel, recurrentKernel, bias, h0];
  if (mask) inputs.push(mask);
  // With @seqgen/native built and a wasm or cpu backend, the same computation runs in C++ (native-sequence.ts).
  const native = nativeKernels();
  const value = native
    ? nativeSequence(native, { cell: 'rnn', x, kernel, recurrentKernel, bias, h0, mask, reverse, activation })
    : (run(...inputs) as tf.Tensor3D);
  const [outputs, h] = fastSplit(value, [T, 1], 1);
  return { outputs: outputs as tf.Tensor3D, h: tf.squeeze(h!, [1]) as tf.Tensor2D };
}
