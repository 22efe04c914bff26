import type { StackedCellType } from '@seqgen/cells';

/**
 * Trainable parameters of a one-layer cell of @seqgen/cells plus a linear
 * head, from the cells' weight shapes: vanilla RNN `kernel [in, H]`,
 * `recurrentKernel [H, H]`, `bias [H]`; LSTM the same × 4 gates; GRU
 * (reset-after, the default) × 3 gates plus a `recurrentBias [3H]`; head
 * `[H, out]` + `[out]`. The tests check this against the real variables.
 */
export function parameterCount(cell: StackedCellType, inputSize: number, hidden: number, outputSize: number): number {
  const gates = cell === 'lstm' ? 4 : cell === 'gru' ? 3 : 1;
  const biases = cell === 'gru' ? 2 : 1;
  return gates * hidden * (inputSize + hidden) + biases * gates * hidden + hidden * outputSize + outputSize;
}

/** The hidden size whose parameter count (cell + head) is closest to `target`. */
export function matchHiddenSize(cell: StackedCellType, inputSize: number, outputSize: number, target: number): number {
  let best = 1;
  for (let h = 1; parameterCount(cell, inputSize, h, outputSize) < 2 * target; h++) {
    const d = Math.abs(parameterCount(cell, inputSize, h, outputSize) - target);
    if (d < Math.abs(parameterCount(cell, inputSize, best, outputSize) - target)) best = h;
  }
  return best;
}

/** Hidden sizes with one parameter budget: the LSTM's size is given, the others match its count. */
export function matchedHiddenSizes(
  cells: readonly StackedCellType[],
  lstmHidden: number,
  inputSize: number,
  outputSize: number,
): Record<StackedCellType, number> {
  const target = parameterCount('lstm', inputSize, lstmHidden, outputSize);
  const out = {} as Record<StackedCellType, number>;
  for (const c of cells) out[c] = c === 'lstm' ? lstmHidden : matchHiddenSize(c, inputSize, outputSize, target);
  return out;
}
