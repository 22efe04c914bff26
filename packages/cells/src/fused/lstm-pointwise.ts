import * as tf from '@tensorflow/tfjs';
import { jsKernel, leading } from '../kernels/js-kernel.js';
import { stepOf } from './time-order.js';

/*
 * The element-wise parts of a fused LSTM step (lstm-sequence.ts), one kernel
 * each between the sigmoid calls (see js-kernel.ts for why). Gate layout
 * `[i, f, o, g]`; s `[B, 4H]` holds σ of the pre-activations with the g block
 * pre-doubled, so g = tanh(a) = 2σ(2a) − 1 needs no tanh. The cell state is
 * carried doubled (c2 = 2c) for the same reason: tanh(c) = 2σ(c2) − 1.
 */

const f32 = (a: Float32Array | undefined) => a as Float32Array;

export const lstmCellKernel = jsKernel<Record<string, never>>({
  name: 'SeqgenLstmCell',
  outputShapes: ([, c2]) => [c2 as number[]],
  run: ([S, C2], [OUT], [, cShape]) => {
    const [B, H] = cShape as [number, number];
    const s = f32(S);
    const c2 = f32(C2);
    const out = f32(OUT);
    for (let b = 0; b < B; b++) {
      const row = b * 4 * H;
      for (let j = 0; j < H; j++) {
        const g = 2 * (s[row + 3 * H + j] as number) - 1;
        // 2c' = f·2c + 2·i·g
        out[b * H + j] = (s[row + H + j] as number) * (c2[b * H + j] as number) + 2 * (s[row + j] as number) * g;
      }
    }
  },
  composed: ([s, c2]) => {
    const [i, f, , sg] = tf.split(s as tf.Tensor, 4, 1) as tf.Tensor[];
    const g = tf.sub(tf.mul(sg!, 2), 1);
    return [tf.add(tf.mul(f!, c2 as tf.Tensor), tf.mul(tf.mul(i!, g), 2))];
  },
});

/** The new doubled cell state 2c' = 2(f ⊙ c + i ⊙ g) from the gate sigmoids s and the doubled state c2. */
export function lstmCell(s: tf.Tensor, c2: tf.Tensor): tf.Tensor2D {
  return lstmCellKernel([s, c2], {})[0] as tf.Tensor2D;
}

export const lstmOutputKernel = jsKernel<Record<string, never>>({
  name: 'SeqgenLstmOutput',
  outputShapes: ([q]) => [q as number[], q as number[]],
  run: ([Q, S], [HOUT, TC], [qShape]) => {
    const [B, H] = qShape as [number, number];
    const q = f32(Q);
    const s = f32(S);
    const h = f32(HOUT);
    const tc = f32(TC);
    for (let b = 0; b < B; b++) {
      for (let j = 0; j < H; j++) {
        const k = b * H + j;
        const t = 2 * (q[k] as number) - 1;
        tc[k] = t;
        h[k] = (s[b * 4 * H + 2 * H + j] as number) * t;
      }
    }
  },
  composed: ([q, s]) => {
    const H = (q as tf.Tensor2D).shape[1];
    const tc = tf.sub(tf.mul(q as tf.Tensor, 2), 1);
    return [tf.mul(tf.slice(s as tf.Tensor, [0, 2 * H], [-1, H]), tc), tc];
  },
});

/** From q = σ(2c') and the gate sigmoids: h' = o ⊙ tanh(c') and tanh(c'). */
export function lstmOutput(q: tf.Tensor, s: tf.Tensor): { h: tf.Tensor2D; tc: tf.Tensor2D } {
  const [h, tc] = lstmOutputKernel([q, s], {});
  return { h: h as tf.Tensor2D, tc: tc as tf.Tensor2D };
}

export const lstmBackKernel = jsKernel<{ t: number; pad: number }>({
  name: 'SeqgenLstmBackStep',
  outputShapes: (shapes, { pad }) => {
    const [B, H] = shapes[0] as [number, number];
    const out = [
      [B, 4 * H + pad],
      [B, H],
    ];
    return shapes.length > 7 ? [...out, [B, H]] : out;
  },
  run: (inputs, [DZ, DC, KEEP], [dInShape], { t, pad }) => {
    const [dIn, keepIn, dcIn, dOut, S, TC, C2P] = leading(inputs, 7);
    const M = inputs[7]; // the mask, when given
    const [B, H] = dInShape as [number, number];
    const dz = f32(DZ);
    const dcOut = f32(DC);
    const W = 4 * H + pad;
    for (let b = 0; b < B; b++) {
      const m = M ? (M[t * B + b] as number) : 1;
      const row = (t * B + b) * H;
      const sRow = (t * B + b) * 4 * H;
      const zRow = b * W;
      for (let j = 0; j < H; j++) {
        const k = b * H + j;
        const dhC = (dIn[k] as number) + (keepIn[k] as number);
        const dcC = dcIn[k] as number;
        // Padded steps pass the carried gradients through untouched (and their outputs were zeroed by the mask).
        const dh = m * (dhC + (dOut[row + j] as number));
        const i = S[sRow + j] as number;
        const f = S[sRow + H + j] as number;
        const o = S[sRow + 2 * H + j] as number;
        const g = 2 * (S[sRow + 3 * H + j] as number) - 1;
        const tc = TC[row + j] as number;
        const dc = m * dcC + dh * o * (1 - tc * tc);
        dz[zRow + j] = dc * g * i * (1 - i);
        dz[zRow + H + j] = dc * 0.5 * (C2P[row + j] as number) * f * (1 - f);
        dz[zRow + 2 * H + j] = dh * tc * o * (1 - o);
        dz[zRow + 3 * H + j] = dc * i * (1 - g * g);
        dcOut[k] = dc * f + (1 - m) * dcC;
        if (KEEP) KEEP[k] = (1 - m) * dhC;
      }
      for (let j = 4 * H; j < W; j++) dz[zRow + j] = 0;
    }
  },
  composed: (inputs, { t, pad }) => {
    const [dIn, keepIn, dcIn, dOut, S, TC, C2P, M] = inputs as [tf.Tensor2D, ...tf.Tensor[]];
    const [B] = dIn.shape;
    const at = (x: tf.Tensor | undefined) => stepOf(x as tf.Tensor, t);
    const dhC = tf.add(dIn, keepIn as tf.Tensor);
    const m = M ? at(M) : tf.onesLike(dhC);
    const dh = tf.mul(m, tf.add(dhC, at(dOut)));
    const [i, f, o, sg] = tf.split(at(S), 4, 1) as tf.Tensor[];
    const g = tf.sub(tf.mul(sg!, 2), 1);
    const tc = at(TC);
    const dc = tf.add(tf.mul(m, dcIn as tf.Tensor), tf.mul(tf.mul(dh, o!), tf.sub(1, tf.square(tc))));
    const dSig = (x: tf.Tensor) => tf.mul(x, tf.sub(1, x));
    const dz = tf.concat(
      [
        tf.mul(tf.mul(dc, g), dSig(i!)),
        tf.mul(tf.mul(dc, tf.mul(at(C2P), 0.5)), dSig(f!)),
        tf.mul(tf.mul(dh, tc), dSig(o!)),
        tf.mul(tf.mul(dc, i!), tf.sub(1, tf.square(g))),
        ...(pad ? [tf.zeros([B, pad])] : []),
      ],
      1,
    );
    const outs = [dz, tf.add(tf.mul(dc, f!), tf.mul(tf.sub(1, m), dcIn as tf.Tensor))];
    return M ? [...outs, tf.mul(tf.sub(1, m), dhC)] : outs;
  },
});

export interface LstmBackStep {
  /** ∂L/∂ of the gate pre-activations `[B, 4H + pad]` (zero stride padding). */
  dz: tf.Tensor2D;
  /** ∂L/∂c_{t−1}. */
  dc: tf.Tensor2D;
  /** With a mask: the part of ∂L/∂h_{t−1} a padded step passes through (added to dz·Uᵀ by the next call). */
  keep?: tf.Tensor2D;
}

/**
 * One step of the LSTM backward. `dIn + keepIn` is ∂L/∂h_t from later steps
 * and dcIn ∂L/∂c_t; dOut, S (gate sigmoids), TC (tanh c), C2P (previous
 * doubled cell state) and the optional mask M are the time-major stacks.
 */
export function lstmBackStep(
  stacks: {
    dIn: tf.Tensor;
    keepIn: tf.Tensor;
    dcIn: tf.Tensor;
    dOut: tf.Tensor;
    S: tf.Tensor;
    TC: tf.Tensor;
    C2P: tf.Tensor;
    M?: tf.Tensor;
  },
  attrs: { t: number; pad: number },
): LstmBackStep {
  const { dIn, keepIn, dcIn, dOut, S, TC, C2P, M } = stacks;
  const [dz, dc, keep] = lstmBackKernel(
    [dIn, keepIn, dcIn, dOut, S, TC, C2P, ...(M ? [M] : [])],
    attrs,
  ) as tf.Tensor2D[];
  return { dz: dz!, dc: dc!, keep };
}
