import { ShapeError } from '@seqgen/core';

/**
 * The guided-attention penalty matrix of Tachibana et al. 2017 for a batch,
 * `[B, N, S]` row-major: W[b, n, s] = 1 − exp(−(s/S_b − n/N_b)² / (2g²)) for
 * the real decoder steps n < N_b and symbols s < S_b of example b, and 0 on
 * padding. Attention that lies near the diagonal costs little, attention far
 * from it costs up to 1: the mean of W ⊙ A pulls alignments to be monotonic
 * and diagonal early in training, which a CPU budget needs.
 */
export function guidedAttentionWeights(
  textLengths: readonly number[],
  stepLengths: readonly number[],
  textLength: number,
  steps: number,
  sigma: number,
): Float32Array {
  if (textLengths.length !== stepLengths.length) {
    throw new ShapeError(
      'stepLengths',
      `${textLengths.length} entries (one per example)`,
      `${stepLengths.length}`,
      'guidedAttentionWeights',
    );
  }
  const B = textLengths.length;
  const out = new Float32Array(B * steps * textLength);
  const twoG2 = 2 * sigma * sigma;
  for (let b = 0; b < B; b++) {
    const S = textLengths[b] as number;
    const N = stepLengths[b] as number;
    if (!(Number.isInteger(S) && S >= 1 && S <= textLength)) {
      throw new ShapeError(
        `textLengths[${b}]`,
        `an integer in [1, ${textLength}]`,
        String(S),
        'guidedAttentionWeights',
      );
    }
    if (!(Number.isInteger(N) && N >= 1 && N <= steps)) {
      throw new ShapeError(`stepLengths[${b}]`, `an integer in [1, ${steps}]`, String(N), 'guidedAttentionWeights');
    }
    for (let n = 0; n < N; n++) {
      const row = (b * steps + n) * textLength;
      for (let s = 0; s < S; s++) out[row + s] = 1 - Math.exp(-((s / S - n / N) ** 2) / twoG2);
    }
  }
  return out;
}
