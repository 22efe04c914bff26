import { NonFiniteError, SeqgenError } from '@seqgen/core';

/**
 * Small numeric helpers on one row of logits. They work in float64 on the
 * float32 row so that probabilities of thousands of tokens still sum to 1.
 */

/** Index of the largest entry; the lowest index wins ties. `-1` when every entry is -Infinity or NaN. */
export function argmax(row: ArrayLike<number>): number {
  let best = -1;
  let bestValue = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < row.length; i++) {
    const v = row[i] as number;
    if (v > bestValue) {
      bestValue = v;
      best = i;
    }
  }
  return best;
}

/** Probabilities (float64) of a row of logits; -Infinity entries get exactly 0. */
export function softmax(row: ArrayLike<number>): Float64Array {
  const out = new Float64Array(row.length);
  const max = row[argmax(row)] as number;
  let total = 0;
  for (let i = 0; i < row.length; i++) {
    const e = Math.exp((row[i] as number) - max);
    out[i] = e;
    total += e;
  }
  for (let i = 0; i < out.length; i++) out[i] = (out[i] as number) / total;
  return out;
}

/** log-softmax (float64) of a row of logits; -Infinity entries stay -Infinity (all of them, if nothing is left). */
export function logSoftmax(row: ArrayLike<number>): Float64Array {
  const out = new Float64Array(row.length);
  const best = argmax(row);
  if (best < 0) return out.fill(Number.NEGATIVE_INFINITY);
  const max = row[best] as number;
  let total = 0;
  for (let i = 0; i < row.length; i++) total += Math.exp((row[i] as number) - max);
  const logZ = max + Math.log(total);
  for (let i = 0; i < row.length; i++) out[i] = (row[i] as number) - logZ;
  return out;
}

/**
 * `log Σ exp(row)` (float64), the number {@link logSoftmax} subtracts from
 * every entry, in two passes and no allocation; -Infinity when every entry
 * is. A NaN entry throws as {@link assertNoNaN} does. Beam search scores
 * `row[i] − logNormalizer(row)` only for the tokens it looks at.
 */
export function logNormalizer(row: ArrayLike<number>, context: string): number {
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < row.length; i++) {
    const v = row[i] as number;
    if (v > max) max = v;
    else if (Number.isNaN(v)) throw new NonFiniteError('logits', `${context}: entry ${i} is NaN`);
  }
  if (max === Number.NEGATIVE_INFINITY) return max;
  let total = 0;
  for (let i = 0; i < row.length; i++) total += Math.exp((row[i] as number) - max);
  return max + Math.log(total);
}

/** Indices of the row sorted by value, largest first (stable: lower index first on ties). */
export function indicesByDescendingValue(row: ArrayLike<number>): number[] {
  const order = Array.from({ length: row.length }, (_, i) => i);
  return order.sort((a, b) => (row[b] as number) - (row[a] as number) || a - b);
}

/**
 * Keeps the shortest prefix of `order` whose probabilities add up to at least
 * `mass` (the entry that crosses it included, at least one entry), removes
 * everything else: the shared rule of top-p and typical-p.
 */
export function keepPrefixReachingMass(
  row: Float32Array,
  order: readonly number[],
  probability: (index: number) => number,
  mass: number,
): void {
  let cumulative = 0;
  let count = 0;
  while (count < order.length && cumulative < mass) cumulative += probability(order[count++] as number);
  keepOnly(row, order.slice(0, Math.max(1, count)));
}

/** Sets every entry whose index is not in `keep` to -Infinity. */
export function keepOnly(row: Float32Array, keep: Iterable<number>): void {
  const mask = new Uint8Array(row.length);
  for (const i of keep) if (i >= 0 && i < row.length) mask[i] = 1;
  for (let i = 0; i < row.length; i++) if (mask[i] === 0) row[i] = Number.NEGATIVE_INFINITY;
}

/** Thrown when processors removed every token of a row (e.g. `allowedTokens` ∩ not `bannedTokens` is empty). */
export function noTokenLeft(context: string): SeqgenError {
  return new SeqgenError(
    'ERR_SAMPLER_NO_CANDIDATES',
    `${context}: every token was removed by the logits processors (check bannedTokens, allowedTokens, noRepeatNgramSize)`,
  );
}

/** Refuses NaN logits (a diverged model) instead of sampling garbage from them. */
export function assertNoNaN(row: ArrayLike<number>, context: string): void {
  for (let i = 0; i < row.length; i++) {
    if (Number.isNaN(row[i])) throw new NonFiniteError('logits', `${context}: entry ${i} is NaN`);
  }
}
