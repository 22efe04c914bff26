import { ConfigError, initBackend } from '@seqgen/core';
import { generate } from '@seqgen/samplers';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConditionedLanguageModel } from './conditioned-lm.js';
import { ScheduledConditionModel } from './scheduled-condition-model.js';

const C = 5;
let models: ConditionedLanguageModel[];
beforeAll(async () => {
  await initBackend();
  const sizes = { vocabSize: 11, conditionVocabSize: C, embeddingSize: 6, conditionEmbeddingSize: 4, hiddenSize: 12 };
  models = (['next', 'current'] as const).map(
    (conditionOn, i) => new ConditionedLanguageModel({ ...sizes, cell: 'gru', conditionOn, seed: 7 + i }),
  );
});
afterAll(() => {
  for (const m of models) m.dispose();
});

// Token 0 moves the clock by one; the condition is the clock mod C. Laid out beforehand, that is
// the position-indexed condition the model reads when the clock's moves are known.
const schedule = {
  advance: (v: number, token: number) => v + (token === 0 ? 1 : 0),
  conditionAt: (v: number) => v % C,
};

describe('ScheduledConditionModel', () => {
  it('decodes exactly as the model does with the conditions laid out beforehand', async () => {
    for (const model of models) {
      const prompt = [3, 0, 4];
      const config = { temperature: 0, maxNewTokens: 12 } as const;
      const scheduled = await generate(new ScheduledConditionModel(model, schedule), prompt, config);
      const tokens = [...prompt, ...(scheduled.sequences[0]?.tokens ?? [])];
      // Position p's condition is the clock after the tokens before p.
      let clock = 0;
      const laidOut = tokens.map((t) => {
        const id = clock % C;
        clock = schedule.advance(clock, t);
        return id;
      });
      const condition = tf.tensor2d([laidOut], undefined, 'int32');
      const plain = await generate(model, prompt, config, { condition });
      condition.dispose();
      expect(plain.sequences[0]?.tokens).toEqual(scheduled.sequences[0]?.tokens);
    }
  });

  it('keeps every row apart when sampling several sequences, and leaks no tensors', async () => {
    const before = tf.memory().numTensors;
    const out = await generate(new ScheduledConditionModel(models[0] as ConditionedLanguageModel, schedule), [1], {
      maxNewTokens: 8,
      numReturnSequences: 3,
      seed: 1,
    });
    expect(out.sequences).toHaveLength(3);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('refuses a schedule without its functions, or one giving ids outside the vocabulary', async () => {
    const model = models[0] as ConditionedLanguageModel;
    expect(() => new ScheduledConditionModel(model, {} as never)).toThrow(ConfigError);
    const bad = new ScheduledConditionModel(model, { advance: (v) => v + 1, conditionAt: (v) => (v > 1 ? C : 0) });
    await expect(generate(bad, [1], { maxNewTokens: 4, temperature: 0 })).rejects.toThrow(/outside \[0, 5\)/);
  });
});
