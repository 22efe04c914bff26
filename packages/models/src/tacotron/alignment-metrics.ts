import { ConfigError, ShapeError } from '@seqgen/core';

/** How diagonal an attention alignment is (see {@link alignmentQuality}). */
export type AlignmentQuality = {
  /** Share of decoder steps whose most-attended symbol lies within `band` of the diagonal, in [0, 1] (1 = diagonal). */
  diagonal: number;
  /** Share of consecutive decoder steps whose most-attended symbol does not move backwards, in [0, 1]. */
  monotonic: number;
  /** Mean over steps of Σ_s A[n, s]·W[n, s], W the guided-attention matrix (g = 0.2): 0 on the diagonal, up to 1 far from it. */
  guidedCost: number;
};

/**
 * Scores one alignment, `alignment[n]` the attention weights of decoder step
 * n over the `S` real symbols (what `Tacotron.synthesize` and
 * `Tacotron.attentionOf` give): text read at an even pace from start to end
 * puts step n's peak near symbol n·S/N. `band` is the tolerance as a
 * fraction of the text (default 0.2, at least one symbol).
 */
export function alignmentQuality(alignment: readonly ArrayLike<number>[], band = 0.2): AlignmentQuality {
  if (!Array.isArray(alignment) || alignment.length === 0) {
    throw new ShapeError(
      'alignment',
      'a non-empty array of rows (one per decoder step)',
      String(alignment?.length),
      'alignmentQuality',
    );
  }
  if (typeof band !== 'number' || !(band >= 0 && band <= 1)) {
    throw new ConfigError('band', `must be a number in [0, 1], got ${String(band)}`);
  }
  const N = alignment.length;
  const S = (alignment[0] as ArrayLike<number>).length;
  if (S === 0)
    throw new ShapeError('alignment[0]', 'weights over at least one symbol', 'an empty row', 'alignmentQuality');
  const tolerance = Math.max(band, 1 / S);
  let diagonal = 0;
  let monotonic = 0;
  let cost = 0;
  let previous = 0;
  alignment.forEach((row, n) => {
    if (row.length !== S) throw new ShapeError(`alignment[${n}]`, `${S} weights`, `${row.length}`, 'alignmentQuality');
    let peak = 0;
    for (let s = 0; s < S; s++) {
      const w = row[s] as number;
      if (w > (row[peak] as number)) peak = s;
      cost += w * (1 - Math.exp(-(((s + 0.5) / S - (n + 0.5) / N) ** 2) / (2 * 0.2 * 0.2)));
    }
    if (Math.abs((peak + 0.5) / S - (n + 0.5) / N) <= tolerance) diagonal++;
    if (n > 0 && peak >= previous) monotonic++;
    previous = peak;
  });
  return { diagonal: diagonal / N, monotonic: N > 1 ? monotonic / (N - 1) : 1, guidedCost: cost / N };
}

/**
 * Stop-token accuracy over decoder steps: row b's step n should say "stop"
 * (probability > `threshold`) exactly when it is the row's last real step,
 * `stepLengths[b] − 1`; steps past it are not counted.
 */
export function stopTokenAccuracy(
  probabilities: readonly ArrayLike<number>[],
  stepLengths: readonly number[],
  threshold = 0.5,
): number {
  if (!Array.isArray(probabilities) || probabilities.length !== stepLengths.length) {
    throw new ShapeError(
      'stepLengths',
      `${probabilities?.length} entries (one per row)`,
      `${stepLengths?.length}`,
      'stopTokenAccuracy',
    );
  }
  let right = 0;
  let counted = 0;
  probabilities.forEach((row, b) => {
    const N = stepLengths[b] as number;
    if (!Number.isInteger(N) || N < 1 || N > row.length) {
      throw new ShapeError(`stepLengths[${b}]`, `an integer in [1, ${row.length}]`, String(N), 'stopTokenAccuracy');
    }
    for (let n = 0; n < N; n++) {
      if ((row[n] as number) > threshold === (n === N - 1)) right++;
      counted++;
    }
  });
  return right / counted;
}
