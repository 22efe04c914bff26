import { ConfigError } from '@seqgen/core';
import { indicesByDescendingValue, keepOnly } from '../logits-math.js';
import type { LogitsProcessor } from './logits-processor.js';

/** Keeps exactly the `k` largest logits (lower ids win ties), so no token outside the k best can be drawn. */
export function topKProcessor(k: number): LogitsProcessor {
  if (!Number.isInteger(k) || k < 1) throw new ConfigError('topK', `must be an integer ≥ 1, got ${k}`);
  return {
    name: 'top-k',
    process(logits) {
      if (k >= logits.length) return;
      keepOnly(logits, indicesByDescendingValue(logits).slice(0, k));
    },
  };
}
