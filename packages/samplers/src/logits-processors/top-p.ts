import { ConfigError } from '@seqgen/core';
import { indicesByDescendingValue, keepPrefixReachingMass, softmax } from '../logits-math.js';
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
      keepPrefixReachingMass(logits, order, (i) => probs[i] as number, p);
    },
  };
}
