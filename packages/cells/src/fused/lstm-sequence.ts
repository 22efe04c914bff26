import * as tf from '@tensorflow/tfjs';
import { fastSplit } from '../kernels/fast-split.js';
import { affine, matMul2d } from '../kernels/matmul.js';
import { saveShared } from '../kernels/save-shared.js';
import { swapAxes01 } from '../kernels/swap-axes.js';
import { addStep } from './add-step.js';
import { biasGradient, inputGradient, jointTranspose, weightGradients } from './gate-gradients.js';
import { lstmBackStep, lstmCell, lstmOutput } from './lstm-pointwise.js';
import { nativeKernels, nativeSequence } from './native-sequence.js';
import { padRows, stridePad } from './stride-pad.js';
import { steps, swapBatchTime, timeOrder } from './time-order.js';

/**
 * Fused LSTM over a whole sequence (cuDNN's recipe in pure tfjs):
 * - the input projection for all steps is one `[B·T, in] × [in, 4H]` matmul;
 * - each step issues only the recurrent matmul, two sigmoids and two
 *   element-wise kernels (lstm-pointwise.ts);
 * - the backward pass keeps one kernel and one matmul per step, and the
 *   weight gradients are one matmul over all steps;
 * - transposes are explicit, because wasm matMul with transpose flags is slow.
 *
 * Gate layout is `[i, f, o, g]` so that one sigmoid covers all four gates.
 * Returns `[B, T + 2, H]`: the outputs, then the final h and c (one tensor,
 * because tfjs custom gradients have a single output).
 */
export function lstmSequence(
  x: tf.Tensor3D,
  kernel: tf.Tensor2D,
  recurrentKernel: tf.Tensor2D,
  bias: tf.Tensor1D,
  h0: tf.Tensor2D,
  c0: tf.Tensor2D,
  mask: tf.Tensor3D | undefined,
  reverse: boolean,
): { outputs: tf.Tensor3D; h: tf.Tensor2D; c: tf.Tensor2D } {
  const [B, T] = x.shape;
  const H = recurrentKernel.shape[0];
  const run = tf.customGrad((...args: unknown[]) => {
    const [xIn, W, U, b, hInit, cInit] = args as tf.Tensor[];
    const m = mask ? (args[6] as tf.Tensor3D) : undefined;
    const save = args[args.length - 1] as tf.GradSaveFunc;
    const I = xIn!.shape[2] as number;
    const mt = m ? swapBatchTime(m) : undefined;
    const x2 = tf.reshape(swapBatchTime(xIn!), [T * B, I]);
    const X = tf.reshape(affine(x2, W as tf.Tensor2D, b!), [T, B, 4 * H]);
    const ms = mt ? steps(mt) : undefined;
    const sig: tf.Tensor[] = new Array(T);
    const tcs: tf.Tensor[] = new Array(T);
    const hPrev: tf.Tensor[] = new Array(T);
    const c2Prev: tf.Tensor[] = new Array(T);
    const ys: tf.Tensor[] = new Array(T);
    let h = hInit as tf.Tensor;
    let c2: tf.Tensor = tf.mul(cInit!, 2); // the cell state is carried doubled: tanh(c) = 2σ(2c) − 1
    // Six ops a step: the recurrent product, two sigmoids and the element-wise kernels of lstm-pointwise.ts.
    for (const t of timeOrder(T, reverse)) {
      hPrev[t] = h;
      c2Prev[t] = c2;
      // The g block comes out of addStep doubled, so one sigmoid gives g = tanh(a) = 2σ(2a) − 1 too.
      const s = tf.sigmoid(addStep(X, t, matMul2d(h, U as tf.Tensor2D), 4 * H, 3 * H));
      const c2New = lstmCell(s, c2);
      const { h: hNew, tc } = lstmOutput(tf.sigmoid(c2New), s);
      sig[t] = s;
      tcs[t] = tc;
      ys[t] = hNew;
      if (ms) {
        // Padded steps keep the state: h = h + m·(hNew − h).
        h = tf.add(h, tf.mul(ms[t]!, tf.sub(hNew, h)));
        c2 = tf.add(c2, tf.mul(ms[t]!, tf.sub(c2New, c2)));
      } else {
        h = hNew;
        c2 = c2New;
      }
    }
    let outputs = tf.stack(ys, 0);
    if (mt) outputs = tf.mul(outputs, mt);
    const c = tf.mul(c2, 0.5);
    const value = swapBatchTime(tf.concat([outputs, tf.expandDims(h, 0), tf.expandDims(c, 0)], 0));
    saveShared(save, [
      x2,
      W!,
      U!,
      tf.stack(sig, 0),
      tf.stack(tcs, 0),
      tf.stack(hPrev, 0),
      tf.stack(c2Prev, 0),
      ...(mt ? [mt] : []),
    ]);
    return {
      value,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        // Only saved tensors may be used here: tfjs disposes the forward pass's own tensors before backprop.
        const M = mask ? (saved[saved.length - 1] as tf.Tensor3D) : undefined; // time-major
        const [sx2, sW, sU, S, TC, HP, C2P] = saved as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D, ...tf.Tensor3D[]];
        const [dOut, dhT, dcT] = fastSplit(swapBatchTime(dy), [T, 1, 1], 0);
        // Gate gradients get zero columns when 4H would give them a cache-aliasing row stride (stride-pad.ts).
        const pad = stridePad(4 * H);
        const UT = padRows(swapAxes01(sU), pad);
        let dIn: tf.Tensor = tf.squeeze(dhT!, [0]);
        let dcIn: tf.Tensor = tf.squeeze(dcT!, [0]);
        let keepIn: tf.Tensor = tf.zerosLike(dIn);
        const dz: tf.Tensor[] = new Array(T);
        for (const t of timeOrder(T, !reverse)) {
          const stacks = { dIn, keepIn, dcIn, dOut: dOut!, S: S!, TC: TC!, C2P: C2P!, M };
          const step = lstmBackStep(stacks, { t, pad });
          dz[t] = step.dz;
          dcIn = step.dc;
          if (step.keep) keepIn = step.keep;
          dIn = matMul2d(step.dz, UT);
        }
        const dh0 = M ? tf.add(dIn, keepIn) : dIn;
        const dZ = tf.reshape(tf.stack(dz, 0), [T * B, 4 * H + pad]) as tf.Tensor2D;
        const dX = swapBatchTime(tf.reshape(inputGradient(dZ, sW, pad), [T, B, sx2.shape[1]]));
        const inputsT = jointTranspose([sx2, tf.reshape(HP!, [T * B, H])]);
        const [dW, dU] = weightGradients(inputsT, [sx2.shape[1], H], dZ, pad) as [tf.Tensor2D, tf.Tensor2D];
        const db = biasGradient(dZ, pad);
        const grads = [dX, dW, dU, db, dh0, dcIn];
        if (M) grads.push(tf.zeros([B, T, 1]));
        return grads;
      },
    };
  });
  const inputs: tf.Tensor[] = [x, kernel, recurrentKernel, bias, h0, c0];
  if (mask) inputs.push(mask);
  // With @seqgen/native built and a wasm or cpu backend, the same computation runs in C++ (native-sequence.ts).
  const native = nativeKernels();
  const value = native
    ? nativeSequence(native, { cell: 'lstm', x, kernel, recurrentKernel, bias, h0, c0, mask, reverse })
    : (run(...inputs) as tf.Tensor3D);
  const [outputs, h, c] = fastSplit(value, [T, 1, 1], 1);
  return {
    outputs: outputs as tf.Tensor3D,
    h: tf.squeeze(h!, [1]) as tf.Tensor2D,
    c: tf.squeeze(c!, [1]) as tf.Tensor2D,
  };
}
