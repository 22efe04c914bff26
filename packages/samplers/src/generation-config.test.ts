import { ConfigError } from '@seqgen/core';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_GENERATION_CONFIG,
  decodingStrategy,
  type GenerationConfig,
  resolveGenerationConfig,
} from './generation-config.js';

function fieldOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).field;
  }
  throw new Error('expected a ConfigError');
}

describe('resolveGenerationConfig', () => {
  it('fills every default', () => {
    expect(resolveGenerationConfig()).toEqual(DEFAULT_GENERATION_CONFIG);
    expect(resolveGenerationConfig({ topK: 5, maxNewTokens: undefined })).toEqual({
      ...DEFAULT_GENERATION_CONFIG,
      topK: 5,
    });
    expect(DEFAULT_GENERATION_CONFIG).toMatchObject({ maxNewTokens: 20, temperature: 1, topP: 1, numBeams: 1 });
  });

  it.each<[Partial<GenerationConfig>, string]>([
    [{ maxNewTokens: 2.5 }, 'maxNewTokens'],
    [{ maxNewTokens: 0 }, 'maxNewTokens'],
    [{ temperature: -0.1 }, 'temperature'],
    [{ temperature: Number.NaN }, 'temperature'],
    [{ topK: 0 }, 'topK'],
    [{ topK: 1.5 }, 'topK'],
    [{ topP: 0 }, 'topP'],
    [{ topP: 1.01 }, 'topP'],
    [{ minP: -0.1 }, 'minP'],
    [{ minP: 2 }, 'minP'],
    [{ typicalP: 0 }, 'typicalP'],
    [{ repetitionPenalty: 0 }, 'repetitionPenalty'],
    [{ noRepeatNgramSize: -1 }, 'noRepeatNgramSize'],
    [{ stopSequences: [[]] }, 'stopSequences'],
    [{ stopSequences: [''] }, 'stopSequences'],
    [{ stopSequences: [[1, -2]] }, 'stopSequences[0]'],
    [{ stopTokens: [1.5] }, 'stopTokens'],
    [{ bannedTokens: [-1] }, 'bannedTokens'],
    [{ allowedTokens: [1, 2] as never }, 'allowedTokens'],
    [{ numBeams: 0 }, 'numBeams'],
    [{ lengthPenalty: Number.POSITIVE_INFINITY }, 'lengthPenalty'],
    [{ earlyStopping: 'yes' as never }, 'earlyStopping'],
    [{ numReturnSequences: 0 }, 'numReturnSequences'],
    [{ numBeams: 2, numReturnSequences: 3 }, 'numReturnSequences'],
    [{ numBeams: 4, topK: 5 }, 'topK'],
    [{ numBeams: 4, temperature: 0.7 }, 'temperature'],
    [{ temperature: 0, numReturnSequences: 2 }, 'numReturnSequences'],
    [{ seed: 1.5 }, 'seed'],
    [{ top_k: 5 } as never, 'top_k'],
  ])('refuses %j naming the field', (partial, field) => {
    expect(fieldOf(() => resolveGenerationConfig(partial))).toBe(field);
  });

  it('picks the strategy from the values', () => {
    expect(decodingStrategy(resolveGenerationConfig())).toBe('sample');
    expect(decodingStrategy(resolveGenerationConfig({ temperature: 0 }))).toBe('greedy');
    expect(decodingStrategy(resolveGenerationConfig({ numBeams: 3, numReturnSequences: 3 }))).toBe('beam');
  });

  it('accepts string and id stop sequences and an allowed-tokens function', () => {
    const allowed = () => [1];
    const c = resolveGenerationConfig({ stopSequences: ['\n\n', [3, 4]], allowedTokens: allowed, seed: 7 });
    expect(c.stopSequences).toEqual(['\n\n', [3, 4]]);
    expect(c.allowedTokens).toBe(allowed);
  });
});
