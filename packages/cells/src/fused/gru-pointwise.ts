import * as tf from '@tensorflow/tfjs';
import { jsKernel, leading } from '../kernels/js-kernel.js';
import { stepOf } from './time-order.js';

/*
 * The element-wise parts of a fused GRU step (gru-sequence.ts), one kernel
 * each between the sigmoid calls (see js-kernel.ts for why). Layouts: the
 * input projection X3 `[T, B, 3H]` and recurrent product hu `[B, 3H]` are
 * `[r, z, n]`; g `[B, 2H]` holds σ of the r|z pre-activations; the candidate
 * n = tanh(a) is computed as 2σ(2a) − 1.
 */

const f32 = (a: Float32Array | undefined) => a as Float32Array;

export const gruCandidateKernel = jsKernel<{ t: number }>({
  name: 'SeqgenGruCandidate',
  outputShapes: ([, hu]) => [[(hu as number[])[0] as number, ((hu as number[])[1] as number) / 3]],
  run: ([X3, HU, G], [P], [, huShape], { t }) => {
    const [B, H3] = huShape as [number, number];
    const H = H3 / 3;
    const x = f32(X3);
    const hu = f32(HU);
    const g = f32(G);
    const p = f32(P);
    const base = t * B * H3;
    for (let b = 0; b < B; b++) {
      for (let j = 0; j < H; j++) {
        const n = b * H3 + 2 * H + j;
        p[b * H + j] = 2 * ((x[base + n] as number) + (g[b * 2 * H + j] as number) * (hu[n] as number));
      }
    }
  },
  composed: ([X3, hu, g], { t }) => {
    const H = (hu as tf.Tensor2D).shape[1] / 3;
    const xn = tf.slice(stepOf(X3 as tf.Tensor, t), [0, 2 * H], [-1, H]);
    const r = tf.slice(g as tf.Tensor, [0, 0], [-1, H]);
    return [tf.mul(2, tf.add(xn, tf.mul(r, tf.slice(hu as tf.Tensor, [0, 2 * H], [-1, H]))))];
  },
});

/** 2·(x_n + r ⊙ hu_n) at step t: twice the candidate's pre-activation, ready for σ. */
export function gruCandidate(X3: tf.Tensor, t: number, hu: tf.Tensor, g: tf.Tensor): tf.Tensor2D {
  return gruCandidateKernel([X3, hu, g], { t })[0] as tf.Tensor2D;
}

export const gruUpdateKernel = jsKernel<Record<string, never>>({
  name: 'SeqgenGruUpdate',
  outputShapes: ([s]) => [s as number[], s as number[]],
  run: ([S, G, Hp], [Hn, N], [sShape]) => {
    const [B, H] = sShape as [number, number];
    const s = f32(S);
    const g = f32(G);
    const h = f32(Hp);
    const out = f32(Hn);
    const nOut = f32(N);
    for (let b = 0; b < B; b++) {
      for (let j = 0; j < H; j++) {
        const k = b * H + j;
        const n = 2 * (s[k] as number) - 1;
        nOut[k] = n;
        out[k] = n + (g[b * 2 * H + H + j] as number) * ((h[k] as number) - n);
      }
    }
  },
  composed: ([s, g, h]) => {
    const H = (s as tf.Tensor2D).shape[1];
    const n = tf.sub(tf.mul(s as tf.Tensor, 2), 1);
    const z = tf.slice(g as tf.Tensor, [0, H], [-1, H]);
    return [tf.add(n, tf.mul(z, tf.sub(h as tf.Tensor, n))), n];
  },
});

/** From σ(2a) of the candidate, the gates g and the previous h: the new h and the candidate n = tanh(a). */
export function gruUpdate(s: tf.Tensor, g: tf.Tensor, h: tf.Tensor): { h: tf.Tensor2D; n: tf.Tensor2D } {
  const [hNew, n] = gruUpdateKernel([s, g, h], {});
  return { h: hNew as tf.Tensor2D, n: n as tf.Tensor2D };
}

export const gruBackKernel = jsKernel<{ t: number; padRZ: number; padN: number }>({
  name: 'SeqgenGruBackStep',
  outputShapes: ([dIn], { padRZ, padN }) => {
    const [B, H] = dIn as [number, number];
    return [
      [B, 3 * H],
      [B, 2 * H + padRZ],
      [B, H + padN],
      [B, H + padN],
      [B, H],
    ];
  },
  run: (inputs, [DHU, DRZ, DN, DNR, CARRY], [dInShape], { t, padRZ, padN }) => {
    const [dIn, carryIn, dOut, G, N, HP, HU] = leading(inputs, 7);
    const M = inputs[7]; // the mask, when given
    const [B, H] = dInShape as [number, number];
    const dhu = f32(DHU);
    const drz = f32(DRZ);
    const dnOut = f32(DN);
    const dnr = f32(DNR);
    const carry = f32(CARRY);
    const wRZ = 2 * H + padRZ;
    const wN = H + padN;
    for (let b = 0; b < B; b++) {
      const m = M ? (M[t * B + b] as number) : 1;
      const row = (t * B + b) * H;
      const gRow = (t * B + b) * 2 * H;
      const huRow = (t * B + b) * 3 * H + 2 * H;
      for (let j = 0; j < H; j++) {
        const k = b * H + j;
        const dhC = (dIn[k] as number) + (carryIn[k] as number);
        // Outputs of padded steps were zeroed by the mask, so their gradient is dropped with the carried one.
        const dh = m * (dhC + (dOut[row + j] as number));
        const r = G[gRow + j] as number;
        const z = G[gRow + H + j] as number;
        const n = N[row + j] as number;
        const dn = dh * (1 - z) * (1 - n * n);
        const dz = dh * ((HP[row + j] as number) - n) * z * (1 - z);
        const dr = dn * (HU[huRow + j] as number) * r * (1 - r);
        const dnR = dn * r;
        dhu[b * 3 * H + j] = dr;
        dhu[b * 3 * H + H + j] = dz;
        dhu[b * 3 * H + 2 * H + j] = dnR;
        drz[b * wRZ + j] = dr;
        drz[b * wRZ + H + j] = dz;
        dnOut[b * wN + j] = dn;
        dnr[b * wN + j] = dnR;
        carry[k] = dh * z + (1 - m) * dhC;
      }
      for (let j = 2 * H; j < wRZ; j++) drz[b * wRZ + j] = 0;
      for (let j = H; j < wN; j++) {
        dnOut[b * wN + j] = 0;
        dnr[b * wN + j] = 0;
      }
    }
  },
  composed: (inputs, { t, padRZ, padN }) => {
    const [dIn, carryIn, dOut, G, N, HP, HU, M] = inputs as [tf.Tensor2D, ...tf.Tensor[]];
    const [B, H] = dIn.shape;
    const at = (x: tf.Tensor | undefined) => stepOf(x as tf.Tensor, t);
    const dhC = tf.add(dIn, carryIn as tf.Tensor);
    const m = M ? at(M) : tf.onesLike(dhC);
    const dh = tf.mul(m, tf.add(dhC, at(dOut)));
    const g = at(G);
    const r = tf.slice(g, [0, 0], [-1, H]);
    const z = tf.slice(g, [0, H], [-1, H]);
    const n = at(N);
    const dn = tf.mul(tf.mul(dh, tf.sub(1, z)), tf.sub(1, tf.square(n)));
    const dz = tf.mul(tf.mul(dh, tf.sub(at(HP), n)), tf.mul(z, tf.sub(1, z)));
    const hn = tf.slice(at(HU), [0, 2 * H], [-1, H]);
    const dr = tf.mul(tf.mul(dn, hn), tf.mul(r, tf.sub(1, r)));
    const dnR = tf.mul(dn, r);
    const pad = (x: tf.Tensor, p: number) => (p ? tf.concat([x, tf.zeros([B, p])], 1) : x);
    return [
      tf.concat([dr, dz, dnR], 1),
      pad(tf.concat([dr, dz], 1), padRZ),
      pad(dn, padN),
      pad(dnR, padN),
      tf.add(tf.mul(dh, z), tf.mul(tf.sub(1, m), dhC)),
    ];
  },
});

export interface GruBackStep {
  /** ∂L/∂hu `[B, 3H]`: what the recurrent product passes back (times Uᵀ gives the next ∂L/∂h). */
  dhu: tf.Tensor2D;
  /** ∂L/∂ of the r|z pre-activations `[B, 2H + padRZ]` (zero stride padding). */
  drz: tf.Tensor2D;
  /** ∂L/∂(x·W_n + b_n) `[B, H + padN]`. */
  dn: tf.Tensor2D;
  /** ∂L/∂(h·U_n + c_n) = dn ⊙ r `[B, H + padN]`. */
  dnr: tf.Tensor2D;
  /** The part of ∂L/∂h_{t−1} that skips the recurrent product: dh ⊙ z, plus what a padded step passes through. */
  carry: tf.Tensor2D;
}

/**
 * One step of the GRU backward. `dIn + carryIn` is ∂L/∂h_t from later steps;
 * dOut, G (σ of r|z), N (candidates), HP (previous h), HU (recurrent
 * products) and the optional mask M are the time-major stacks.
 */
export function gruBackStep(
  stacks: {
    dIn: tf.Tensor;
    carryIn: tf.Tensor;
    dOut: tf.Tensor;
    G: tf.Tensor;
    N: tf.Tensor;
    HP: tf.Tensor;
    HU: tf.Tensor;
    M?: tf.Tensor;
  },
  attrs: { t: number; padRZ: number; padN: number },
): GruBackStep {
  const { dIn, carryIn, dOut, G, N, HP, HU, M } = stacks;
  const inputs = [dIn, carryIn, dOut, G, N, HP, HU, ...(M ? [M] : [])];
  const [dhu, drz, dn, dnr, carry] = gruBackKernel(inputs, attrs) as tf.Tensor2D[];
  return { dhu: dhu!, drz: drz!, dn: dn!, dnr: dnr!, carry: carry! };
}
