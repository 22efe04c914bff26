import { ConfigError } from '@seqgen/core';
import { thrown } from '@seqgen/test-utils';
import { describe, expect, it } from 'vitest';
import { DEFAULT_RECURRENT_LM_CONFIG, resolveLMConfig } from './lm-config.js';

const base = { vocabSize: 10, embeddingSize: 8, hiddenSize: 16 };

const configError = (fn: () => unknown) => thrown(fn, ConfigError);

describe('resolveLMConfig', () => {
  it('fills every default and round-trips through JSON', () => {
    const c = resolveLMConfig(base);
    expect(c).toEqual({ ...DEFAULT_RECURRENT_LM_CONFIG, ...base, type: 'recurrent-lm' });
    expect(resolveLMConfig(JSON.parse(JSON.stringify(c)))).toEqual(c);
  });

  it('names the field of every invalid setting', () => {
    expect(configError(() => resolveLMConfig({ ...base, vocabSize: 0 })).field).toBe('vocabSize');
    expect(configError(() => resolveLMConfig({ ...base, hiddenSize: 2.5 })).field).toBe('hiddenSize');
    expect(configError(() => resolveLMConfig({ ...base, cell: 'transformer' as never })).field).toBe('cell');
    expect(configError(() => resolveLMConfig({ ...base, dropout: 1 })).field).toBe('dropout');
    expect(configError(() => resolveLMConfig({ ...base, embeddingDropout: -0.1 })).field).toBe('embeddingDropout');
    expect(configError(() => resolveLMConfig({ ...base, cell: 'gru', projSize: 4 })).field).toBe('projSize');
    expect(configError(() => resolveLMConfig({ ...base, cell: 'rnn', layerNorm: true })).field).toBe('layerNorm');
    expect(configError(() => resolveLMConfig({ ...base, seed: -1 })).field).toBe('seed');
    expect(configError(() => resolveLMConfig({ ...base, type: 'seq2seq' as never })).field).toBe('type');
  });

  it('rejects unknown fields instead of ignoring a typo', () => {
    const error = configError(() => resolveLMConfig({ ...base, embedingSize: 8 } as never));
    expect(error.field).toBe('embedingSize');
  });

  it('ties weights only when the embedding and the top output have one size', () => {
    const error = configError(() => resolveLMConfig({ ...base, tieWeights: true }));
    expect(error.field).toBe('tieWeights');
    expect(error.message).toMatch(/embeddingSize \(8\).*\(16, hiddenSize\)/);
    expect(resolveLMConfig({ ...base, hiddenSize: 8, tieWeights: true }).tieWeights).toBe(true);
    // With an LSTM projection the top output is projSize.
    expect(resolveLMConfig({ ...base, projSize: 8, tieWeights: true }).projSize).toBe(8);
  });
});
