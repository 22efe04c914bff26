import { nativeCrossEntropy } from '@seqgen/cells';
import * as tf from '@tensorflow/tfjs';

/**
 * Label-smoothed cross-entropy of `logits` `[..., V]` against integer
 * `targets` `[...]`, weighted by `mask` `[...]` and divided by `max(tokens, 1)`,
 * as one pass over the rows forward and one backward: the gradient is
 * `(softmax − (1−ε)·onehot − ε/V) · mask / tokens`, written directly. Composed
 * from tfjs ops the same loss costs a `[rows, V]` one-hot, its cast, a
 * log-softmax and half a dozen `[rows, V]` element-wise ops and their
 * gradients (for a translation batch, 5.1 M values each). Runs in
 * `@seqgen/native` where it applies, else in the JavaScript loops below where
 * tensors live in this process (wasm, cpu backends); returns undefined
 * elsewhere, so that the caller composes it from tfjs ops.
 */
export function fusedCrossEntropy(
  logits: tf.Tensor,
  targets: tf.Tensor,
  mask: tf.Tensor,
  tokens: number,
  epsilon: number,
): tf.Scalar | undefined {
  // @seqgen/native's kernel where it applies: the same passes in vectorised C++ on the tensors' own memory.
  const native = nativeCrossEntropy(logits, targets, mask, tokens, epsilon);
  if (native) return native;
  const backend = tf.getBackend();
  if (backend !== 'wasm' && backend !== 'cpu') return undefined;
  const V = logits.shape[logits.rank - 1] as number;
  const rows = logits.size / V;
  const at = targets.dataSync();
  const weight = mask.dataSync();
  const scale = 1 / Math.max(tokens, 1);
  const run = tf.customGrad((...args: unknown[]) => {
    const x = args[0] as tf.Tensor;
    const values = x.dataSync() as Float32Array;
    // The softmax of every counted row, kept for the gradient.
    const probs = new Float32Array(values.length);
    let total = 0;
    for (let r = 0; r < rows; r++) {
      const w = weight[r] as number;
      if (w === 0) continue; // padding: no loss, no gradient
      const base = r * V;
      let max = Number.NEGATIVE_INFINITY;
      for (let v = 0; v < V; v++) max = Math.max(max, values[base + v] as number);
      let sum = 0;
      let z = 0;
      for (let v = 0; v < V; v++) {
        const value = values[base + v] as number;
        const e = Math.exp(value - max);
        sum += value;
        z += e;
        probs[base + v] = e;
      }
      for (let v = 0; v < V; v++) probs[base + v] = (probs[base + v] as number) / z;
      const logZ = max + Math.log(z);
      const nll = logZ - (values[base + (at[r] as number)] as number);
      const smooth = logZ - sum / V;
      total += w * ((1 - epsilon) * nll + epsilon * smooth);
    }
    return {
      value: tf.scalar(total * scale),
      gradFunc: (dy: tf.Tensor) => {
        const g = (dy.dataSync()[0] as number) * scale;
        const grad = new Float32Array(probs.length);
        const uniform = epsilon / V;
        for (let r = 0; r < rows; r++) {
          const w = (weight[r] as number) * g;
          if (w === 0) continue;
          const base = r * V;
          for (let v = 0; v < V; v++) grad[base + v] = w * ((probs[base + v] as number) - uniform);
          const t = base + (at[r] as number);
          grad[t] = (grad[t] as number) - w * (1 - epsilon);
        }
        return tf.tensor(grad, x.shape);
      },
    };
  });
  return run(logits) as tf.Scalar;
}
