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
 * Fused LSTM over a whole sequence (cuDNN's recipe in pure tfjs):
 * - the input projection for all steps is one `[B·T, in] × [in, 4H]` matmul;
 * - each step issues only the recurrent matmul and the gate math;
 * - the backward pass keeps only one matmul per step, and the weight
 *   gradients are one big matmul each over all steps;
 * - transposes are explicit, because wasm matMul with transpose flags is slow.
 *
 * Gate layout is `[i, f, o, g]` so that one sigmoid covers three gates.
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
    const xs = steps(tf.reshape(affine(x2, W as tf.Tensor2D, b!), [T, B, 4 * H]));
    const ms = mt ? steps(mt) : undefined;
    const sig: tf.Tensor[] = new Array(T);
    const gs: tf.Tensor[] = new Array(T);
    const tcs: tf.Tensor[] = new Array(T);
    const hPrev: tf.Tensor[] = new Array(T);
    const cPrev: tf.Tensor[] = new Array(T);
    const ys: tf.Tensor[] = new Array(T);
    let h = hInit as tf.Tensor;
    let c = cInit as tf.Tensor;
    for (const t of timeOrder(T, reverse)) {
      hPrev[t] = h;
      cPrev[t] = c;
      const z = tf.add(xs[t]!, matMul2d(h, U as tf.Tensor2D));
      const [zs, zg] = fastSplit(z, [3 * H, H], 1);
      const s = tf.sigmoid(zs!);
      const g = tanh(zg!);
      const [i, f, o] = fastSplit(s, 3, 1);
      const cNew = tf.add(tf.mul(f!, c), tf.mul(i!, g));
      const tc = tanh(cNew);
      const hNew = tf.mul(o!, tc);
      sig[t] = s;
      gs[t] = g;
      // tanh(c) is kept rather than c: backward needs only tanh(c), and wasm's tanh is ~9× slower than sigmoid.
      tcs[t] = tc;
      ys[t] = hNew;
      if (ms) {
        // Padded steps keep the state: h = h + m·(hNew − h).
        h = tf.add(h, tf.mul(ms[t]!, tf.sub(hNew, h)));
        c = tf.add(c, tf.mul(ms[t]!, tf.sub(cNew, c)));
      } else {
        h = hNew;
        c = cNew;
      }
    }
    let outputs = tf.stack(ys, 0);
    if (mt) outputs = tf.mul(outputs, mt);
    const value = swapBatchTime(tf.concat([outputs, tf.expandDims(h, 0), tf.expandDims(c, 0)], 0));
    saveShared(save, [
      x2,
      W!,
      U!,
      tf.stack(sig, 0),
      tf.stack(gs, 0),
      tf.stack(tcs, 0),
      tf.stack(hPrev, 0),
      tf.stack(cPrev, 0),
      ...(mt ? [mt] : []),
    ]);
    return {
      value,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        // Only saved tensors may be used here: tfjs disposes the forward pass's own tensors before backprop.
        const m = mask ? (saved[saved.length - 1] as tf.Tensor3D) : undefined; // time-major
        const [sx2, sW, sU, S, G, TC, HP, CP] = saved as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D, ...tf.Tensor3D[]];
        const [dOut, dhT, dcT] = fastSplit(swapBatchTime(dy), [T, 1, 1], 0);
        // Everything that does not depend on the carried gradients, for all steps at once.
        const [I3, F3, O3] = fastSplit(S!, 3, 2);
        const A = tf.mul(O3!, tf.sub(1, tf.square(TC!))); // ∂h/∂c through tanh
        const dS = tf.mul(S!, tf.sub(1, S!));
        const [dI, dF, dO] = fastSplit(dS, 3, 2);
        // Gate gradients get zero columns when 4H would give them a cache-aliasing row stride (stride-pad.ts).
        const pad = stridePad(4 * H);
        const P = tf.concat(
          [
            tf.mul(G!, dI!),
            tf.mul(CP!, dF!),
            tf.mul(TC!, dO!),
            tf.mul(I3!, tf.sub(1, tf.square(G!))),
            ...(pad ? [tf.zeros([T, B, pad])] : []),
          ],
          2,
        );
        const padBlock = pad ? [tf.zeros([B, pad])] : [];
        const dys = steps(m ? tf.mul(dOut!, m) : dOut!);
        const As = steps(A);
        const Ps = steps(P);
        const Fs = steps(F3!);
        const ms2 = m ? steps(m) : undefined;
        const UT = padRows(tf.transpose(sU), pad);
        let dhC: tf.Tensor = tf.squeeze(dhT!, [0]);
        let dcC: tf.Tensor = tf.squeeze(dcT!, [0]);
        const dz: tf.Tensor[] = new Array(T);
        for (const t of timeOrder(T, !reverse)) {
          let dh: tf.Tensor;
          let dc: tf.Tensor;
          let keepH: tf.Tensor | undefined;
          let keepC: tf.Tensor | undefined;
          if (ms2) {
            // Gradient reaching the new state only where the step was real; the rest passes through.
            const mt = ms2[t]!;
            dh = tf.add(tf.mul(dhC, mt), dys[t]!);
            dc = tf.mul(dcC, mt);
            keepH = tf.sub(dhC, tf.mul(dhC, mt));
            keepC = tf.sub(dcC, dc);
          } else {
            dh = tf.add(dhC, dys[t]!);
            dc = dcC;
          }
          dc = tf.add(dc, tf.mul(dh, As[t]!));
          const dzt = tf.mul(tf.concat([dc, dc, dh, dc, ...padBlock], 1), Ps[t]!);
          dz[t] = dzt;
          dcC = tf.mul(dc, Fs[t]!);
          dhC = matMul2d(dzt, UT);
          if (keepH && keepC) {
            dhC = tf.add(dhC, keepH);
            dcC = tf.add(dcC, keepC);
          }
        }
        const dZ = tf.reshape(tf.stack(dz, 0), [T * B, 4 * H + pad]) as tf.Tensor2D;
        const dX = swapBatchTime(tf.reshape(inputGradient(dZ, sW, pad), [T, B, sx2.shape[1]]));
        const dW = weightGradient(sx2, dZ, pad);
        const dU = weightGradient(tf.reshape(HP!, [T * B, H]), dZ, pad);
        const db = biasGradient(dZ, pad);
        const grads = [dX, dW, dU, db, dhC, dcC];
        if (m) grads.push(tf.zeros([B, T, 1]));
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
