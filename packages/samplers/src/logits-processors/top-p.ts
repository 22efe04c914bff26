import { ConfigError } from '@seqgen/core';
import { indicesByDescendingValue, keepOnly, softmax } from '../logits-math.js';
import type { LogitsProcessor } from './logits-processor.js';

/**
 * Nucleus filtering: keeps the smallest set of most likely tokens whose total
 * probability reaches `p` (the token that crosses `p` is kept), removes the rest.
 */
export function topPProcessor(p: number): LogitsProcessor {
  if (!(p > 0 && p <= 1)) throw new ConfigError('topP', `must be in (0, 1], got ${p}`);
  return {
    name: 'top-p',
    process(logits) {
      if (p >= 1) return;
      const probs = softmax(logits);
      const order = indicesByDescendingValue(logits);
      let cumulative = 0;
      let count = 0;
      while (count < order.length && cumulative < p) cumulative += probs[order[count++] as number] as number;
      keepOnly(logits, order.slice(0, Math.max(1, count)));
    },
  };
}
