import { initBackend, Rng } from '@seqgen/core';
import { beamSearch, generate } from '@seqgen/samplers';
import { StreamBatcher, Trainer } from '@seqgen/trainer';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { RecurrentLanguageModel } from '../recurrent-lm.js';
import { ConditionedStreamSource } from './conditioned-batch.js';
import { ConditionedLanguageModel } from './conditioned-lm.js';
import type { ConditionOn } from './conditioned-lm-config.js';

// A task only the condition can solve: conditioning ids are uniform and independent, and each
// token is its condition id mod V — that of its own position (learnable with 'next', which reads
// the id of the token it predicts) or of the previous one (learnable with 'current').
const V = 5;
const C = 7;
const STEPS = 50;

/** Random conditioning documents and the tokens that follow them under `conditionOn`. */
function copyTask(conditionOn: ConditionOn, seed: number, docs = 8, length = 60) {
  const rng = new Rng(seed);
  const conditions = Array.from({ length: docs }, () => Array.from({ length }, () => rng.int(C)));
  const tokens = conditions.map((c) =>
    c.map((_, i) => (conditionOn === 'next' ? (c[i] as number) : i === 0 ? 0 : (c[i - 1] as number)) % V),
  );
  return { conditions, tokens };
}

async function train(model: ConditionedLanguageModel | RecurrentLanguageModel, conditionOn: ConditionOn) {
  const { conditions, tokens } = copyTask(conditionOn, 1);
  const cut = { batchSize: 8, seqLength: 16, seed: 3 };
  const tokenStream = new StreamBatcher({ documents: tokens, ...cut });
  const data =
    model instanceof ConditionedLanguageModel
      ? new ConditionedStreamSource(tokenStream, new StreamBatcher({ documents: conditions, ...cut }), {
          conditionOn,
        })
      : tokenStream;
  const trainer = new Trainer(model as ConditionedLanguageModel, {
    optimizer: { type: 'adam', learningRate: 0.05 },
    maxSteps: STEPS,
    progressBar: false,
  });
  await trainer.fit(data as ConditionedStreamSource);
  trainer.dispose();
}

/** Share of greedily generated tokens that equal what an unseen conditioning sequence asks for. */
async function followRate(
  model: ConditionedLanguageModel | RecurrentLanguageModel,
  conditionOn: ConditionOn,
  beams = 1,
): Promise<number> {
  const { conditions, tokens } = copyTask(conditionOn, 99, 3, 30);
  let right = 0;
  let total = 0;
  for (const [d, c] of conditions.entries()) {
    const want = tokens[d] as number[];
    const config =
      beams > 1
        ? { numBeams: beams, maxNewTokens: want.length - 1 }
        : { temperature: 0, maxNewTokens: want.length - 1 };
    let generated: number[];
    if (model instanceof ConditionedLanguageModel) {
      const condition = tf.tensor2d([c], undefined, 'int32');
      const out =
        beams > 1
          ? await beamSearch(model, [want[0] as number], config, { condition })
          : await generate(model, [want[0] as number], config, { condition });
      condition.dispose();
      generated = out.sequences[0]?.tokens ?? [];
    } else {
      generated = (await generate(model, [want[0] as number], config)).sequences[0]?.tokens ?? [];
    }
    expect(generated).toHaveLength(want.length - 1);
    generated.forEach((t, i) => {
      right += t === want[i + 1] ? 1 : 0;
      total++;
    });
  }
  return right / total;
}

beforeAll(async () => {
  await initBackend();
});

describe('ConditionedLanguageModel learns a task only its condition can solve', () => {
  const sizes = { vocabSize: V, conditionVocabSize: C, embeddingSize: 8, conditionEmbeddingSize: 8, hiddenSize: 24 };

  it("conditionOn 'next': generation follows an unseen conditioning sequence; an unconditioned LM cannot", async () => {
    const model = new ConditionedLanguageModel({ ...sizes, cell: 'gru', conditionOn: 'next', seed: 1 });
    await train(model, 'next');
    const greedy = await followRate(model, 'next');
    const beam = await followRate(model, 'next', 3);
    model.dispose();
    // Chance is 1/5 (2/7 for the commonest token); every condition id seen in training maps to one token.
    expect(greedy).toBeGreaterThan(0.9);
    expect(beam).toBeGreaterThan(0.9);

    const baseline = new RecurrentLanguageModel({
      vocabSize: V,
      embeddingSize: 8,
      hiddenSize: 24,
      cell: 'gru',
      seed: 1,
    });
    await train(baseline, 'next');
    const unconditioned = await followRate(baseline, 'next');
    baseline.dispose();
    expect(unconditioned).toBeLessThan(0.45);
  });

  it("conditionOn 'current': each token follows the condition id of the step that predicts it", async () => {
    const model = new ConditionedLanguageModel({
      ...sizes,
      cell: 'lstm',
      numLayers: 2,
      conditionOn: 'current',
      seed: 2,
    });
    await train(model, 'current');
    const rate = await followRate(model, 'current');
    model.dispose();
    expect(rate).toBeGreaterThan(0.9);
  });
});
