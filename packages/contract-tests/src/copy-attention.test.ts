import { initBackend, Rng } from '@seqgen/core';
import { beamSearch, disposeState, generateBatch } from '@seqgen/samplers';
import { Trainer } from '@seqgen/trainer';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BOS, CopyAttentionModel, CopyData, EOS, randomSources } from './copy-attention-model.js';

const STEPS = Number(process.env.COPY_STEPS ?? 250);

describe('a conditioned model through Trainer and samplers: copy with attention', () => {
  let model: CopyAttentionModel;
  beforeAll(async () => {
    await initBackend();
    model = new CopyAttentionModel({ embedding: 16, units: 48, seed: 1 });
  });
  afterAll(() => model.dispose());

  it('trains, then copies held-out digit sequences of varied lengths (greedy, batched, and beam search)', async () => {
    const started = performance.now();
    const trainer = new Trainer(model, {
      optimizer: { type: 'adam', learningRate: 0.01 },
      maxSteps: STEPS,
      bptt: 'full',
      seed: 3,
      progressBar: false,
    });
    const result = await trainer.fit(new CopyData(7, 32, 3, 7));
    const trainMs = performance.now() - started;

    // Held-out sources (another seed), varied lengths: one padded batch of encoder memory with a mask.
    const sources = randomSources(new Rng(99), 40, 3, 7);
    const before = tf.memory().numTensors;
    const condition = model.encode(sources);
    const results = await generateBatch(
      model,
      sources.map(() => [BOS]),
      { temperature: 0, maxNewTokens: 8, stopTokens: [EOS] },
      { condition },
    );
    let correct = 0;
    let total = 0;
    let exact = 0;
    sources.forEach((source, i) => {
      const tokens = results[i]!.sequences[0]!.tokens;
      source.forEach((digit, t) => {
        total++;
        if (tokens[t] === digit) correct++;
      });
      if (tokens.join(',') === [...source, EOS].join(',')) exact++;
    });
    const accuracy = correct / total;

    // Beam search over the same sources, each with its own condition row.
    const beams = await generateBatch(
      model,
      sources.map(() => [BOS]),
      { numBeams: 3, maxNewTokens: 8, stopTokens: [EOS] },
      { condition },
    );
    let beamCorrect = 0;
    let beamTotal = 0;
    sources.forEach((source, i) => {
      const tokens = beams[i]!.sequences[0]!.tokens;
      source.forEach((digit, t) => {
        beamTotal++;
        if (tokens[t] === digit) beamCorrect++;
      });
    });
    const one = model.encode([sources[0]!]);
    const alone = await beamSearch(
      model,
      [BOS],
      { numBeams: 3, maxNewTokens: 8, stopTokens: [EOS] },
      { condition: one },
    );
    expect(alone.sequences[0]!.tokens).toEqual(beams[0]!.sequences[0]!.tokens);
    disposeState([condition, one]);
    expect(tf.memory().numTensors).toBe(before);

    console.info(
      `[copy-attention ${tf.getBackend()}] ${result.steps} steps in ${(trainMs / 1000).toFixed(1)} s, last loss ${result.lastLoss?.toFixed(3)}; ` +
        `greedy token accuracy ${(accuracy * 100).toFixed(1)}% (${exact}/${sources.length} exact), beam ${((beamCorrect / beamTotal) * 100).toFixed(1)}%; chance 10%`,
    );
    expect(result.steps).toBe(STEPS);
    expect(accuracy).toBeGreaterThanOrEqual(0.9);
    expect(beamCorrect / beamTotal).toBeGreaterThanOrEqual(0.9);
  });
});
