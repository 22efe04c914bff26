import type { LogitsProcessor } from './logits-processor.js';

/** Never generates the given ids. */
export function bannedTokensProcessor(ids: readonly number[]): LogitsProcessor {
  const banned = [...new Set(ids)];
  return {
    name: 'banned-tokens',
    process(logits) {
      for (const id of banned) if (id < logits.length) logits[id] = Number.NEGATIVE_INFINITY;
    },
  };
}
