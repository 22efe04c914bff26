import { ConfigError } from '@seqgen/core';
import type { LogitsProcessor } from './logits-processor.js';

/**
 * CTRL repetition penalty (Keskar et al. 2019) on every distinct token of the
 * prompt and output: a positive logit is divided by `penalty`, a negative one
 * multiplied, so that penalty > 1 always makes the token less likely.
 */
export function repetitionPenaltyProcessor(penalty: number): LogitsProcessor {
  if (!(Number.isFinite(penalty) && penalty > 0)) {
    throw new ConfigError('repetitionPenalty', `must be a finite number > 0, got ${penalty}`);
  }
  return {
    name: 'repetition-penalty',
    process(logits, { sequence }) {
      if (penalty === 1) return;
      for (const id of new Set(sequence)) {
        const v = logits[id];
        if (v === undefined) continue;
        logits[id] = v > 0 ? v / penalty : v * penalty;
      }
    },
  };
}
