import * as tf from '@tensorflow/tfjs';
import { fastSplit } from '../kernels/fast-split.js';
import { affine, matMul2d } from '../kernels/matmul.js';
import { saveShared } from '../kernels/save-shared.js';
import { tanh } from '../ops/tanh.js';
import { biasGradient, inputGradient, weightGradient } from './gate-gradients.js';
import { nativeKernels, nativeSequence } from './native-sequence.js';
import { padRows, stridePad } from './stride-pad.js';
import { steps, swapBatchTime, timeOrder } from './time-order.js';

/**
 * Fused GRU over a whole sequence, reset gate applied after the recurrent
 * matmul (PyTorch, cuDNN, Keras `reset_after=true`):
 * r, z = σ(x·W_rz + b_rz + h·U_rz + c_rz), n = tanh(x·W_n + b_n + r⊙(h·U_n + c_n)),
 * h' = (1 − z)⊙n + z⊙h. Gate layout `[r, z, n]`; same recipe as the LSTM
 * kernel (one big input matmul, one recurrent matmul per step each way, weight
 * gradients as single matmuls). Returns `[B, T + 1, H]`: outputs then final h.
 */
export function gruSequence(
  x: tf.Tensor3D,
  kernel: tf.Tensor2D,
  recurrentKernel: tf.Tensor2D,
  bias: tf.Tensor1D,
  recurrentBias: tf.Tensor1D,
  h0: tf.Tensor2D,
  mask: tf.Tensor3D | undefined,
  reverse: boolean,
): { outputs: tf.Tensor3D; h: tf.Tensor2D } {
  const [B, T] = x.shape;
  const H = recurrentKernel.shape[0];
  const run = tf.customGrad((...args: unknown[]) => {
    const [xIn, W, U, b, rb, hInit] = args as tf.Tensor[];
    const m = mask ? (args[6] as tf.Tensor3D) : undefined;
    const save = args[args.length - 1] as tf.GradSaveFunc;
    const I = xIn!.shape[2] as number;
    const mt = m ? swapBatchTime(m) : undefined;
    const x2 = tf.reshape(swapBatchTime(xIn!), [T * B, I]);
    // Input projections split into the r|z and n parts once for all steps, not once per step.
    const [xrzAll, xnAll] = fastSplit(tf.reshape(affine(x2, W as tf.Tensor2D, b!), [T, B, 3 * H]), [2 * H, H], 2);
    const xrzs = steps(xrzAll!);
    const xns = steps(xnAll!);
    const ms = mt ? steps(mt) : undefined;
    const rzs: tf.Tensor[] = new Array(T);
    const ns: tf.Tensor[] = new Array(T);
    const hns: tf.Tensor[] = new Array(T);
    const hPrev: tf.Tensor[] = new Array(T);
    const ys: tf.Tensor[] = new Array(T);
    let h = hInit as tf.Tensor;
    for (const t of timeOrder(T, reverse)) {
      hPrev[t] = h;
      const hu = affine(h, U as tf.Tensor2D, rb!);
      const [hrz, hn] = fastSplit(hu, [2 * H, H], 1);
      const rz = tf.sigmoid(tf.add(xrzs[t]!, hrz!));
      const [r, z] = fastSplit(rz, 2, 1);
      const n = tanh(tf.add(xns[t]!, tf.mul(r!, hn!)));
      const hNew = tf.add(n, tf.mul(z!, tf.sub(h, n)));
      rzs[t] = rz;
      ns[t] = n;
      hns[t] = hn!;
      ys[t] = hNew;
      h = ms ? tf.add(h, tf.mul(ms[t]!, tf.sub(hNew, h))) : hNew;
    }
    let outputs = tf.stack(ys, 0);
    if (mt) outputs = tf.mul(outputs, mt);
    const value = swapBatchTime(tf.concat([outputs, tf.expandDims(h, 0)], 0));
    saveShared(save, [
      x2,
      W!,
      U!,
      tf.stack(rzs, 0),
      tf.stack(ns, 0),
      tf.stack(hns, 0),
      tf.stack(hPrev, 0),
      ...(mt ? [mt] : []),
    ]);
    return {
      value,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        // Only saved tensors may be used here: tfjs disposes the forward pass's own tensors before backprop.
        const m = mask ? (saved[saved.length - 1] as tf.Tensor3D) : undefined;
        const [sx2, sW, sU, RZ, N, HN, HP] = saved as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D, ...tf.Tensor3D[]];
        const [dOut, dhT] = fastSplit(swapBatchTime(dy), [T, 1], 0);
        // Factors independent of the carried gradient, computed for all steps at once.
        const [R, Z] = fastSplit(RZ!, 2, 2);
        const Q1 = tf.mul(tf.sub(HP!, N!), tf.mul(Z!, tf.sub(1, Z!))); // ∂h'/∂z_pre
        const Q2 = tf.mul(tf.sub(1, Z!), tf.sub(1, tf.square(N!))); // ∂h'/∂n_pre
        const Q3 = tf.mul(HN!, tf.mul(R!, tf.sub(1, R!))); // ∂n_pre/∂r_pre
        const dys = steps(m ? tf.mul(dOut!, m) : dOut!);
        const [q1, q2, q3, rs, zs] = [Q1, Q2, Q3, R!, Z!].map((q) => steps(q));
        const ms2 = m ? steps(m) : undefined;
        // Gate gradients get zero columns when 3H would give them a cache-aliasing row stride (stride-pad.ts).
        const pad = stridePad(3 * H);
        const padBlock = pad ? [tf.zeros([B, pad])] : [];
        const UT = padRows(tf.transpose(sU), pad);
        let dhC: tf.Tensor = tf.squeeze(dhT!, [0]);
        const dxs: tf.Tensor[] = new Array(T);
        const dhs: tf.Tensor[] = new Array(T);
        for (const t of timeOrder(T, !reverse)) {
          const mt = ms2?.[t];
          const dh = mt ? tf.add(tf.mul(dhC, mt), dys[t]!) : tf.add(dhC, dys[t]!);
          const dzPre = tf.mul(dh, q1![t]!);
          const dnPre = tf.mul(dh, q2![t]!);
          const drPre = tf.mul(dnPre, q3![t]!);
          dxs[t] = tf.concat([drPre, dzPre, dnPre, ...padBlock], 1);
          const dhu = tf.concat([drPre, dzPre, tf.mul(dnPre, rs![t]!), ...padBlock], 1);
          dhs[t] = dhu;
          let carry = tf.add(tf.mul(dh, zs![t]!), matMul2d(dhu, UT));
          if (mt) carry = tf.add(carry, tf.sub(dhC, tf.mul(dhC, mt)));
          dhC = carry;
        }
        const dX3 = tf.reshape(tf.stack(dxs, 0), [T * B, 3 * H + pad]) as tf.Tensor2D;
        const dHU = tf.reshape(tf.stack(dhs, 0), [T * B, 3 * H + pad]) as tf.Tensor2D;
        const dX = swapBatchTime(tf.reshape(inputGradient(dX3, sW, pad), [T, B, sx2.shape[1]]));
        const dW = weightGradient(sx2, dX3, pad);
        const dU = weightGradient(tf.reshape(HP!, [T * B, H]), dHU, pad);
        const db = biasGradient(dX3, pad);
        const drb = biasGradient(dHU, pad);
        const grads = [dX, dW, dU, db, drb, dhC];
        if (m) grads.push(tf.zeros([B, T, 1]));
        return grads;
      },
    };
  });
  const inputs: tf.Tensor[] = [x, kernel, recurrentKernel, bias, recurrentBias, h0];
  if (mask) inputs.push(mask);
  // With @seqgen/native built and a wasm or cpu backend, the same computation runs in C++ (native-sequence.ts).
  const native = nativeKernels();
  const value = native
    ? nativeSequence(native, { cell: 'gru', x, kernel, recurrentKernel, bias, recurrentBias, h0, mask, reverse })
    : (run(...inputs) as tf.Tensor3D);
  const [outputs, h] = fastSplit(value, [T, 1], 1);
  return { outputs: outputs as tf.Tensor3D, h: tf.squeeze(h!, [1]) as tf.Tensor2D };
}
