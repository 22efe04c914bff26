import { ConfigError } from '@seqgen/core';
import { keepPrefixReachingMass, logSoftmax } from '../logits-math.js';
import type { LogitsProcessor } from './logits-processor.js';

/**
 * Locally typical sampling (Meister et al. 2022): ranks tokens by how far
 * their surprisal −log p is from the entropy H of the distribution, and keeps
 * the closest ones until their probability mass reaches `mass`.
 */
export function typicalPProcessor(mass: number): LogitsProcessor {
  if (!(mass > 0 && mass <= 1)) throw new ConfigError('typicalP', `must be in (0, 1], got ${mass}`);
  return {
    name: 'typical-p',
    process(logits) {
      if (mass >= 1) return;
      const logp = logSoftmax(logits);
      let entropy = 0;
      for (const l of logp) if (l > Number.NEGATIVE_INFINITY) entropy -= Math.exp(l) * l;
      const candidates = Array.from({ length: logits.length }, (_, i) => i).filter(
        (i) => (logp[i] as number) > Number.NEGATIVE_INFINITY,
      );
      const distance = (i: number) => Math.abs(-(logp[i] as number) - entropy);
      candidates.sort((a, b) => distance(a) - distance(b) || a - b);
      keepPrefixReachingMass(logits, candidates, (i) => Math.exp(logp[i] as number), mass);
    },
  };
}
