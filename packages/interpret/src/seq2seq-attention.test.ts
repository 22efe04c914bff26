import { ConfigError, initBackend } from '@seqgen/core';
import { Seq2Seq, seq2seqBatches } from '@seqgen/models';
import { thrown } from '@seqgen/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attentionMatrices } from './seq2seq-attention.js';

describe('attentionMatrices', () => {
  const ids = { padId: 0, bosId: 1, eosId: 2 };
  let model: Seq2Seq;
  beforeAll(async () => {
    await initBackend();
    model = Seq2Seq.create({
      sourceVocabSize: 9,
      targetVocabSize: 9,
      embeddingSize: 4,
      hiddenSize: 6,
      attention: 'luong-general',
      ...ids,
      seed: 3,
    });
  });
  afterAll(() => model?.dispose());

  it('crops each pair’s matrix to its source and target lengths, rows summing to 1', () => {
    const pairs = [
      { source: [3, 4, 5, 6], target: [7, 8] },
      { source: [5, 6], target: [3, 4, 5, 6] },
    ];
    const [batch] = seq2seqBatches(pairs, { batchSize: 2, bucketByLength: false, ...ids });
    const matrices = attentionMatrices(model, batch as NonNullable<typeof batch>);
    expect(matrices.map((m) => [m.targetSteps, m.sourceSteps])).toEqual([
      [3, 4],
      [5, 2],
    ]);
    for (const m of matrices) {
      for (let t = 0; t < m.targetSteps; t++) {
        const row = m.weights.subarray(t * m.sourceSteps, (t + 1) * m.sourceSteps);
        expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
      }
    }
  });

  it('refuses a model without attention weights', () => {
    expect(thrown(() => attentionMatrices({} as never, {} as never), ConfigError).message).toContain('attentionOf');
  });
});
