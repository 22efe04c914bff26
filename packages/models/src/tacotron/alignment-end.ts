import type { Synthesis } from './tacotron.js';

/**
 * Where a free-running decoder that missed its stop token had finished reading: the number of decoder
 * steps up to `slack` steps after the attention's peak first reaches the last symbol (all steps when it
 * never does). A Tacotron trained briefly learns to read the text well before its stop token is sure,
 * and then keeps attending the last symbol and hums until the maximum-length guard: this cuts the hum.
 */
export function stepsUntilAlignmentEnd(alignment: readonly Float32Array[], slack = 3): number {
  for (let n = 0; n < alignment.length; n++) {
    const row = alignment[n] as Float32Array;
    let peak = 0;
    for (let s = 1; s < row.length; s++) if ((row[s] as number) > (row[peak] as number)) peak = s;
    if (peak === row.length - 1) return Math.min(alignment.length, n + 1 + slack);
  }
  return alignment.length;
}

/**
 * A synthesis the maximum-length guard ended, cut a few steps after its attention reached the last
 * symbol (see {@link stepsUntilAlignmentEnd}); one that stopped on its stop token is kept whole.
 * `reduction` is the model's frames per decoder step.
 */
export function trimAtAlignmentEnd(r: Synthesis, reduction: number): Synthesis {
  if (r.finishReason === 'stop') return r;
  const steps = stepsUntilAlignmentEnd(r.alignment);
  return {
    ...r,
    mel: r.mel.slice(0, steps * reduction),
    melBeforePostnet: r.melBeforePostnet.slice(0, steps * reduction),
    alignment: r.alignment.slice(0, steps),
  };
}
