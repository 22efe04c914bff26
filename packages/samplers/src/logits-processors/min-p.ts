import { ConfigError } from '@seqgen/core';
import { argmax } from '../logits-math.js';
import type { LogitsProcessor } from './logits-processor.js';

/**
 * Removes tokens whose probability is below `minP` times the top token's.
 * Works on logits directly: p_i < minP·p_max  ⇔  l_i − l_max < ln(minP).
 */
export function minPProcessor(minP: number): LogitsProcessor {
  if (!(minP >= 0 && minP <= 1)) throw new ConfigError('minP', `must be in [0, 1], got ${minP}`);
  const logMinP = Math.log(minP);
  return {
    name: 'min-p',
    process(logits) {
      if (minP === 0) return;
      const max = logits[argmax(logits)] as number;
      for (let i = 0; i < logits.length; i++) {
        if ((logits[i] as number) - max < logMinP) logits[i] = Number.NEGATIVE_INFINITY;
      }
    },
  };
}
