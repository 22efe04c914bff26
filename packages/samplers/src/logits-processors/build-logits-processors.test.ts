import { describe, expect, it } from 'vitest';
import { resolveGenerationConfig } from '../generation-config.js';
import { buildLogitsProcessors } from './build-logits-processors.js';
import { applyLogitsProcessors } from './logits-processor.js';

describe('buildLogitsProcessors', () => {
  it('has nothing to do for the defaults', () => {
    expect(buildLogitsProcessors(resolveGenerationConfig())).toEqual([]);
  });

  it('composes constraints, then temperature, then truncations', () => {
    const config = resolveGenerationConfig({
      temperature: 0.5,
      topK: 3,
      topP: 0.9,
      minP: 0.1,
      typicalP: 0.95,
      repetitionPenalty: 1.2,
      noRepeatNgramSize: 2,
      bannedTokens: [0],
      allowedTokens: () => null,
    });
    expect(buildLogitsProcessors(config).map((p) => p.name)).toEqual([
      'repetition-penalty',
      'no-repeat-ngram',
      'banned-tokens',
      'allowed-tokens',
      'temperature',
      'top-k',
      'top-p',
      'min-p',
      'typical-p',
    ]);
    expect(buildLogitsProcessors(config, { sampling: false }).map((p) => p.name)).toEqual([
      'repetition-penalty',
      'no-repeat-ngram',
      'banned-tokens',
      'allowed-tokens',
    ]);
  });

  it('applies the chain in order on one row', () => {
    // banned 0, penalty on seen token 1 (3 → 1.5), temperature 0.5 doubles, top-k 2 keeps the best two.
    const config = resolveGenerationConfig({ bannedTokens: [0], repetitionPenalty: 2, temperature: 0.5, topK: 2 });
    const row = Float32Array.from([9, 3, 2, 1]);
    applyLogitsProcessors(buildLogitsProcessors(config), row, { step: 0, sequence: [1], promptLength: 1 });
    const ninf = Number.NEGATIVE_INFINITY;
    expect(Array.from(row)).toEqual([ninf, 3, 4, ninf]);
  });
});
