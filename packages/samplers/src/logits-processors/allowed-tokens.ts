import { ConfigError } from '@seqgen/core';
import type { AllowedTokensFn } from '../generation-config.js';
import { keepOnly } from '../logits-math.js';
import type { LogitsProcessor } from './logits-processor.js';

/**
 * Applies a per-step whitelist: `allowed(step, generated)` returns the ids
 * allowed for this token (everything else is removed) or `null` for no limit.
 */
export function allowedTokensProcessor(allowed: AllowedTokensFn): LogitsProcessor {
  if (typeof allowed !== 'function') throw new ConfigError('allowedTokens', 'must be a function');
  return {
    name: 'allowed-tokens',
    process(logits, { step, sequence, promptLength }) {
      const ids = allowed(step, sequence.slice(promptLength));
      if (ids === null) return;
      if (!Array.isArray(ids)) {
        throw new ConfigError(
          'allowedTokens',
          `must return an array of token ids or null, got ${String(ids)} at step ${step}`,
        );
      }
      keepOnly(logits, ids);
    },
  };
}
