/**
 * Where each token of a batch of multi-turn sources goes in a hierarchical
 * encoder (Serban et al. 2016): the turns of every row, one per row of an
 * utterance batch `[N, L]`, and the index maps that put the utterance
 * encoder's outputs and the turn encoder's states back in source order.
 * Host-side bookkeeping only; `Seq2Seq`'s hierarchical encoder does the tensor work.
 */
export interface TurnLayout {
  /** Turns in the whole batch (N): the rows of the utterance batch. */
  turnCount: number;
  /** Tokens of the longest turn (L): the utterance batch's width. */
  turnLength: number;
  /** The utterance batch `[N, L]`, each turn's tokens then padding. */
  turnIds: Int32Array;
  /** Tokens per turn (each ≥ 1). */
  turnLengths: number[];
  /** Turns per source row (each ≥ 1). */
  turnsPerRow: number[];
  /** The most turns of any row (Tmax). */
  maxTurns: number;
  /** `[B, Tmax]`: the turn index (into the N turns) of row b's j-th turn; N (a zero row) where row b has fewer turns. */
  turnSlots: Int32Array;
  /** `[B, S]`: `k·L + p` for the token at position p of turn k; `N·L` (a zero row) on padding. */
  wordIndex: Int32Array;
  /** `[B, S]`: `b·Tmax + j` for a token of row b's j-th turn; `B·Tmax` (a zero row) on padding. */
  contextIndex: Int32Array;
}

/**
 * Splits each row's first `lengths[b]` tokens into turns: a turn ends after a
 * `separatorId` token (which belongs to the turn it closes) or at the row's
 * end. Every real source position lands in exactly one turn, in order, so
 * the hierarchical memory stays aligned with the source tokens (attention
 * maps and masks read as with a flat encoder).
 */
export function turnLayout(
  ids: ArrayLike<number>,
  batchSize: number,
  sourceLength: number,
  lengths: readonly number[],
  separatorId: number,
  padId: number,
): TurnLayout {
  const S = sourceLength;
  const turns: { row: number; start: number; length: number }[] = [];
  const turnsPerRow: number[] = [];
  for (let b = 0; b < batchSize; b++) {
    const n = lengths[b] as number;
    let start = 0;
    let count = 0;
    for (let s = 0; s < n; s++) {
      if (ids[b * S + s] === separatorId || s === n - 1) {
        turns.push({ row: b, start, length: s - start + 1 });
        start = s + 1;
        count++;
      }
    }
    turnsPerRow.push(count);
  }
  const N = turns.length;
  const L = Math.max(...turns.map((t) => t.length));
  const maxTurns = Math.max(...turnsPerRow);
  const turnIds = new Int32Array(N * L).fill(padId);
  const turnSlots = new Int32Array(batchSize * maxTurns).fill(N);
  const wordIndex = new Int32Array(batchSize * S).fill(N * L);
  const contextIndex = new Int32Array(batchSize * S).fill(batchSize * maxTurns);
  let j = 0;
  turns.forEach((turn, k) => {
    const { row: b, start, length } = turn;
    j = k > 0 && (turns[k - 1] as { row: number }).row === b ? j + 1 : 0;
    turnSlots[b * maxTurns + j] = k;
    for (let p = 0; p < length; p++) {
      turnIds[k * L + p] = ids[b * S + start + p] as number;
      wordIndex[b * S + start + p] = k * L + p;
      contextIndex[b * S + start + p] = b * maxTurns + j;
    }
  });
  return {
    turnCount: N,
    turnLength: L,
    turnIds,
    turnLengths: turns.map((t) => t.length),
    turnsPerRow,
    maxTurns,
    turnSlots,
    wordIndex,
    contextIndex,
  };
}
