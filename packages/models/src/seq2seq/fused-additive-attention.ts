import { nativeAdditiveAttention } from '@seqgen/cells';
import * as tf from '@tensorflow/tfjs';

/** Host copies of the memory and its keys: the same tensors every step of a sequence (tensors are immutable). */
const hostCopies = new WeakMap<object, Float32Array>();

function hostValues(t: tf.Tensor): Float32Array {
  let values = hostCopies.get(t.dataId);
  if (!values) {
    values = t.dataSync() as Float32Array;
    hostCopies.set(t.dataId, values);
  }
  return values;
}

/**
 * tanh from one exp (V8's Math.tanh costs several times Math.exp); within
 * 1e-7 of it, and exactly ±1 where exp overflows or vanishes.
 */
function tanh(x: number): number {
  return 1 - 2 / (Math.exp(2 * x) + 1);
}

/** What {@link fusedAdditiveAttention} returns. */
export type AdditiveAttentionStep = {
  /** Masked attention weights `[B, S]` (exactly 0 where the mask is 0). */
  weights: tf.Tensor2D;
  /** `Σ_s weights · memory` `[B, D]`. */
  context: tf.Tensor2D;
};

/**
 * One step of Bahdanau attention from the precomputed `keys` `[B, S, U]`
 * (`W·memory + b`) and the projected query `q` `[B, U]`: scores
 * `v · tanh(keys + q)`, the masked softmax and the context, forward and
 * backward each in one pass over `[B, S, U]`. Composed from tfjs ops the
 * same step is about a dozen kernels forward and two dozen on the gradient
 * tape, each walking `[B, S, U]`; a teacher-forced batch runs it once per
 * target position. Runs in `@seqgen/native` where it applies, else in the
 * JavaScript loops below where tensors live in this process (wasm, cpu), and
 * returns undefined elsewhere (or, with `nativeOnly`, without the native
 * kernels), so that the caller composes it from tfjs ops.
 */
export function fusedAdditiveAttention(
  keys: tf.Tensor3D,
  q: tf.Tensor2D,
  scoreVector: tf.Tensor1D,
  mask: tf.Tensor2D,
  memory: tf.Tensor3D,
  options: { nativeOnly?: boolean } = {},
): AdditiveAttentionStep | undefined {
  // @seqgen/native's kernel where it applies: the same step in vectorised C++ on the tensors' own memory.
  const native = nativeAdditiveAttention(keys, q, scoreVector, mask, memory);
  if (native || options.nativeOnly) return native;
  const backend = tf.getBackend();
  if (backend !== 'wasm' && backend !== 'cpu') return undefined;
  const [B, S, U] = keys.shape;
  const D = memory.shape[2];
  const m = hostValues(mask);
  const run = tf.customGrad((...args: unknown[]) => {
    const [keysIn, qIn, vIn, memoryIn] = args as [tf.Tensor3D, tf.Tensor2D, tf.Tensor1D, tf.Tensor3D];
    const k = hostValues(keysIn);
    const mem = hostValues(memoryIn);
    const qv = qIn.dataSync() as Float32Array;
    const v = vIn.dataSync() as Float32Array;
    // tanh(keys + q), kept for the gradient.
    const t = new Float32Array(B * S * U);
    const w = new Float32Array(B * S);
    const out = new Float32Array(B * (S + D));
    for (let b = 0; b < B; b++) {
      let max = Number.NEGATIVE_INFINITY;
      for (let s = 0; s < S; s++) {
        const row = (b * S + s) * U;
        let score = 0;
        for (let u = 0; u < U; u++) {
          const value = tanh((k[row + u] as number) + (qv[b * U + u] as number));
          t[row + u] = value;
          score += value * (v[u] as number);
        }
        // As the composed masked softmax: −1e9 added where the mask is 0, then the weights multiplied by the mask.
        score += (1 - (m[b * S + s] as number)) * -1e9;
        w[b * S + s] = score;
        max = Math.max(max, score);
      }
      let z = 0;
      for (let s = 0; s < S; s++) {
        const e = Math.exp((w[b * S + s] as number) - max);
        w[b * S + s] = e;
        z += e;
      }
      for (let s = 0; s < S; s++) {
        const weight = ((w[b * S + s] as number) / z) * (m[b * S + s] as number);
        w[b * S + s] = weight;
        out[b * (S + D) + s] = weight;
        if (weight === 0) continue;
        const row = (b * S + s) * D;
        const to = b * (S + D) + S;
        for (let d = 0; d < D; d++) out[to + d] = (out[to + d] as number) + weight * (mem[row + d] as number);
      }
    }
    return {
      value: tf.tensor2d(out, [B, S + D]),
      gradFunc: (dy: tf.Tensor) => {
        const g = dy.dataSync() as Float32Array;
        const dKeys = new Float32Array(B * S * U);
        const dq = new Float32Array(B * U);
        const dv = new Float64Array(U);
        const dMemory = new Float32Array(B * S * D);
        const dw = new Float64Array(S);
        for (let b = 0; b < B; b++) {
          const dContext = b * (S + D) + S;
          // dL/dweights: the direct part and the context's.
          let dot = 0;
          for (let s = 0; s < S; s++) {
            const weight = w[b * S + s] as number;
            let total = g[b * (S + D) + s] as number;
            const row = (b * S + s) * D;
            for (let d = 0; d < D; d++) {
              total += (g[dContext + d] as number) * (mem[row + d] as number);
              dMemory[row + d] = weight * (g[dContext + d] as number);
            }
            dw[s] = total;
            dot += weight * total;
          }
          for (let s = 0; s < S; s++) {
            const weight = w[b * S + s] as number;
            // Softmax backward (the mask's factor is in the weights: a masked position passes nothing back).
            const dScore = weight * ((dw[s] as number) - dot);
            if (dScore === 0) continue;
            const row = (b * S + s) * U;
            for (let u = 0; u < U; u++) {
              const value = t[row + u] as number;
              const dPre = dScore * (v[u] as number) * (1 - value * value);
              dKeys[row + u] = dPre;
              dq[b * U + u] = (dq[b * U + u] as number) + dPre;
              dv[u] = (dv[u] as number) + dScore * value;
            }
          }
        }
        return [
          tf.tensor3d(dKeys, [B, S, U]),
          tf.tensor2d(dq, [B, U]),
          tf.tensor1d(Float32Array.from(dv)),
          tf.tensor3d(dMemory, [B, S, D]),
        ];
      },
    };
  });
  const both = run(keys, q, scoreVector, memory) as tf.Tensor2D;
  return {
    weights: tf.slice(both, [0, 0], [B, S]) as tf.Tensor2D,
    context: tf.slice(both, [0, S], [B, D]) as tf.Tensor2D,
  };
}
