import * as tf from '@tensorflow/tfjs';
import { fastSplit } from '../kernels/fast-split.js';
import { affine, matMul2d } from '../kernels/matmul.js';
import { saveShared } from '../kernels/save-shared.js';
import { swapAxes01 } from '../kernels/swap-axes.js';
import { addStep } from './add-step.js';
import { biasGradient, inputGradient, jointTranspose, weightGradients } from './gate-gradients.js';
import { gruBackStep, gruCandidate, gruUpdate } from './gru-pointwise.js';
import { nativeKernels, nativeSequence } from './native-sequence.js';
import { stridePad } from './stride-pad.js';
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
    const X3 = tf.reshape(affine(x2, W as tf.Tensor2D, b!), [T, B, 3 * H]);
    const ms = mt ? steps(mt) : undefined;
    const gs: tf.Tensor[] = new Array(T);
    const ns: tf.Tensor[] = new Array(T);
    const hus: tf.Tensor[] = new Array(T);
    const hPrev: tf.Tensor[] = new Array(T);
    const ys: tf.Tensor[] = new Array(T);
    let h = hInit as tf.Tensor;
    // Six ops a step: the recurrent product, two sigmoids and the element-wise kernels of gru-pointwise.ts.
    for (const t of timeOrder(T, reverse)) {
      hPrev[t] = h;
      const hu = affine(h, U as tf.Tensor2D, rb!);
      const g = tf.sigmoid(addStep(X3, t, hu, 2 * H));
      const s = tf.sigmoid(gruCandidate(X3, t, hu, g));
      const { h: hNew, n } = gruUpdate(s, g, h);
      gs[t] = g;
      ns[t] = n;
      hus[t] = hu;
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
      tf.stack(gs, 0),
      tf.stack(ns, 0),
      tf.stack(hus, 0),
      tf.stack(hPrev, 0),
      ...(mt ? [mt] : []),
    ]);
    return {
      value,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        // Only saved tensors may be used here: tfjs disposes the forward pass's own tensors before backprop.
        const M = mask ? (saved[saved.length - 1] as tf.Tensor3D) : undefined;
        const [sx2, sW, sU, G, N, HU, HP] = saved as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D, ...tf.Tensor3D[]];
        const [dOut, dhT] = fastSplit(swapBatchTime(dy), [T, 1], 0);
        // Gate gradients get zero columns when a block's width would give it a cache-aliasing row stride (stride-pad.ts).
        const padRZ = stridePad(2 * H);
        const padN = stridePad(H);
        const UT = swapAxes01(sU);
        let dIn: tf.Tensor = tf.squeeze(dhT!, [0]);
        let carryIn: tf.Tensor = tf.zerosLike(dIn);
        // Per step: ∂/∂[r, z] pre-activations (shared by x·W and h·U), ∂/∂(x·W_n), and ∂/∂(h·U_n) = ∂/∂(x·W_n)⊙r.
        const drzs: tf.Tensor[] = new Array(T);
        const dns: tf.Tensor[] = new Array(T);
        const dnrs: tf.Tensor[] = new Array(T);
        for (const t of timeOrder(T, !reverse)) {
          const stacks = { dIn, carryIn, dOut: dOut!, G: G!, N: N!, HP: HP!, HU: HU!, M };
          const step = gruBackStep(stacks, { t, padRZ, padN });
          drzs[t] = step.drz;
          dns[t] = step.dn;
          dnrs[t] = step.dnr;
          carryIn = step.carry;
          dIn = matMul2d(step.dhu, UT);
        }
        const dh0 = tf.add(dIn, carryIn);
        const rows = (list: tf.Tensor[]) => tf.reshape(tf.stack(list, 0), [T * B, -1]) as tf.Tensor2D;
        const [DRZ, DN, DNR] = [rows(drzs), rows(dns), rows(dnrs)] as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D];
        // The r|z block meets both x and h, so its weight gradients are one product; the n blocks differ by ⊙r.
        const I = sx2.shape[1];
        const inputsT = jointTranspose([sx2, tf.reshape(HP!, [T * B, H])]);
        const [xT, hT] = fastSplit(inputsT, [I, H], 0) as [tf.Tensor2D, tf.Tensor2D];
        const [dWrz, dUrz] = weightGradients(inputsT, [I, H], DRZ, padRZ);
        const [dWn] = weightGradients(xT, [I], DN, padN);
        const [dUn] = weightGradients(hT, [H], DNR, padN);
        const dW = tf.concat([dWrz!, dWn!], 1);
        const dU = tf.concat([dUrz!, dUn!], 1);
        const [Wrz, Wn] = fastSplit(sW, [2 * H, H], 1) as [tf.Tensor2D, tf.Tensor2D];
        const dX2 = tf.add(inputGradient(DRZ, Wrz, padRZ), inputGradient(DN, Wn, padN));
        const dX = swapBatchTime(tf.reshape(dX2, [T, B, I]));
        // Bias sums of the same padded blocks: XNNPACK keeps the packing of a right operand it has seen (by tensor).
        const dRZb = biasGradient(DRZ, padRZ);
        const db = tf.concat([dRZb, biasGradient(DN, padN)]);
        const drb = tf.concat([dRZb, biasGradient(DNR, padN)]);
        const grads = [dX, dW, dU, db, drb, dh0];
        if (M) grads.push(tf.zeros([B, T, 1]));
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
