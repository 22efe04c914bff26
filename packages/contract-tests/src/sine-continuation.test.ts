import { initBackend, Rng } from '@seqgen/core';
import { generateFrames } from '@seqgen/samplers';
import { Trainer } from '@seqgen/trainer';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SineData, SineModel, sineWave } from './sine-model.js';

const STEPS = Number(process.env.SINE_STEPS ?? 300);
const PRIMER = 30;
const HORIZON = 10;
const NOISE = 0.05;

describe('a continuous-output model through Trainer and samplers: noisy sine continuation', () => {
  let model: SineModel;
  beforeAll(async () => {
    await initBackend();
    model = new SineModel({ units: 32, seed: 2 });
  });
  afterAll(() => model.dispose());

  it('trains with MSE, then continues held-out waves from a primer far better than repeating the last frame', async () => {
    const started = performance.now();
    const trainer = new Trainer(model, {
      optimizer: { type: 'adam', learningRate: 0.01 },
      maxSteps: STEPS,
      bptt: 'full',
      seed: 5,
      progressBar: false,
    });
    const result = await trainer.fit(new SineData(11, 32, PRIMER + HORIZON, NOISE));
    const trainMs = performance.now() - started;

    // Held-out waves: prime with the first PRIMER noisy samples, compare the next HORIZON with the clean wave.
    const rng = new Rng(123);
    const waves = Array.from({ length: 64 }, () => sineWave(rng, PRIMER + HORIZON, NOISE));
    const primer = waves.map((w) => Array.from(w.noisy.subarray(0, PRIMER), (x) => Float32Array.of(x)));
    const before = tf.memory().numTensors;
    const continued = await generateFrames(model, { primer, maxLength: HORIZON });
    expect(tf.memory().numTensors).toBe(before);

    let modelSe = 0;
    let copySe = 0;
    waves.forEach((w, i) => {
      const frames = continued[i]!.frames;
      expect(frames).toHaveLength(HORIZON);
      expect(continued[i]!.finishReason).toBe('length');
      const last = w.noisy[PRIMER - 1]!;
      for (let t = 0; t < HORIZON; t++) {
        const truth = w.clean[PRIMER + t]!;
        modelSe += (frames[t]![0]! - truth) ** 2;
        copySe += (last - truth) ** 2;
      }
    });
    const n = waves.length * HORIZON;
    const modelMse = modelSe / n;
    const copyMse = copySe / n;

    // Sampling around the prediction is reproducible from its seed.
    const noisyA = await generateFrames(model, {
      primer: primer.slice(0, 2),
      maxLength: 5,
      noise: { std: 0.05, seed: 4 },
    });
    const noisyB = await generateFrames(model, {
      primer: primer.slice(0, 2),
      maxLength: 5,
      noise: { std: 0.05, seed: 4 },
    });
    expect(noisyA).toEqual(noisyB);
    expect(tf.memory().numTensors).toBe(before);

    console.info(
      `[sine ${tf.getBackend()}] ${result.steps} steps in ${(trainMs / 1000).toFixed(1)} s, last loss ${result.lastLoss?.toFixed(4)}; ` +
        `${HORIZON}-step continuation MSE ${modelMse.toFixed(4)} vs copy-last-frame ${copyMse.toFixed(4)} (${(copyMse / modelMse).toFixed(1)}× better)`,
    );
    expect(result.steps).toBe(STEPS);
    expect(modelMse).toBeLessThan(copyMse / 10);
  });
});
