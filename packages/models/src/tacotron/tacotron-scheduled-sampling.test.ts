import { initBackend, Rng, randomNormal } from '@seqgen/core';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withoutGradient } from '../without-gradient.js';
import { disposeTacotronCondition, Tacotron } from './tacotron.js';
import type { TacotronBatch } from './tacotron-batches.js';
import type { TacotronOptions } from './tacotron-config.js';

const MEL = 6;
const R = 2;
const TINY: TacotronOptions = {
  vocabSize: 8,
  melBins: MEL,
  reduction: R,
  embeddingSize: 8,
  encoderConvLayers: 1,
  encoderUnits: 6,
  prenetUnits: 8,
  attentionUnits: 8,
  locationFilters: 2,
  locationKernel: 3,
  decoderUnits: 10,
  postnetLayers: 1,
  postnetChannels: 4,
  // No dropout anywhere: training-mode decoding is then deterministic but for the sampling draws.
  dropout: 0,
  prenetDropout: 0,
  seed: 5,
};
const IDS = [
  [1, 2, 3, 4],
  [5, 6, 7, 0],
];
const LENGTHS = [4, 3];
const T = 10;

/** Free-running decoding through `step`: each step fed the model's own previous frames (zeros first). */
function freeRunning(model: Tacotron): number[][][] {
  const condition = model.encode(IDS.map((row, b) => row.slice(0, LENGTHS[b])));
  let state = model.initialState(IDS.length, condition);
  let frames = tf.zeros([IDS.length, R * MEL]) as tf.Tensor2D;
  const steps: tf.Tensor2D[] = [];
  for (let n = 0; n < T / R; n++) {
    const out = model.step(frames, state);
    out.stopLogit?.dispose();
    tf.dispose([...state.layers, state.context, state.cumulative, state.weights]);
    state = out.state;
    frames = out.frame;
    steps.push(out.frame);
  }
  const mel = tf.tidy(() => tf.reshape(tf.stack(steps, 1), [IDS.length, T, MEL]).arraySync() as number[][][]);
  tf.dispose([...steps, ...state.layers, state.context, state.cumulative, state.weights, state.keys]);
  disposeTacotronCondition(condition);
  return mel;
}

describe('Tacotron scheduled sampling: training on its own frames', () => {
  let model: Tacotron;
  let ids: tf.Tensor2D;
  let gold: tf.Tensor3D;
  beforeAll(async () => {
    await initBackend();
    model = Tacotron.create(TINY);
    ids = tf.tensor2d(IDS, [2, 4], 'int32');
    gold = randomNormal(new Rng(3), [2, T, MEL]) as tf.Tensor3D;
  });
  afterAll(() => {
    model.dispose();
    tf.dispose([ids, gold]);
  });

  const melBefore = (options: Parameters<Tacotron['forward']>[4]) =>
    tf.tidy(() => model.forward(ids, LENGTHS, gold, [T, T], options).melBefore.arraySync() as number[][][]);

  it('at probability 1 every step reads its own previous frames: exactly free-running decoding, whatever the gold frames', () => {
    const own = melBefore({ training: true, teacherForcingRatio: 0, rng: new Rng(1) });
    const expected = freeRunning(model);
    own.forEach((row, b) => {
      row.forEach((frame, t) => {
        frame.forEach((v, k) => {
          expect(v, `[${b}, ${t}, ${k}]`).toBeCloseTo(expected[b]![t]![k]!, 5);
        });
      });
    });
    // Teacher forcing reads the (random) gold frames instead: after the first step it differs.
    const forced = melBefore({ training: true, rng: new Rng(1) });
    expect(forced[0]![0]).toEqual(own[0]![0]);
    expect(Math.abs(forced[0]![4]![0]! - own[0]![4]![0]!)).toBeGreaterThan(1e-4);
  });

  it('only while training, at max(config, 1 − the trainer’s ratio), and the draws follow the rng', () => {
    const forced = melBefore({});
    expect(melBefore({ teacherForcingRatio: 0 })).toEqual(forced); // evaluation is always teacher-forced
    expect(melBefore({ training: true, teacherForcingRatio: 1, rng: new Rng(2) })).toEqual(forced);
    const half = melBefore({ training: true, teacherForcingRatio: 0.5, rng: new Rng(2) });
    expect(melBefore({ training: true, teacherForcingRatio: 0.5, rng: new Rng(2) })).toEqual(half);
    const configured = Tacotron.fromConfig({ ...model.getConfig(), scheduledSampling: 1 });
    for (const [name, v] of Object.entries(model.variables)) configured.variables[name]!.assign(v);
    const own = tf.tidy(
      () =>
        configured
          .forward(ids, LENGTHS, gold, [T, T], { training: true, rng: new Rng(4) })
          .melBefore.arraySync() as number[][][],
    );
    expect(own).toEqual(melBefore({ training: true, teacherForcingRatio: 0, rng: new Rng(4) }));
    configured.dispose();
  });

  it('the loss trains through it: finite gradients for every variable, none through the frames fed back', () => {
    const batch: TacotronBatch = {
      ids: Int32Array.from(IDS.flat()),
      textLengths: LENGTHS,
      textLength: 4,
      mels: gold.dataSync() as Float32Array,
      frameLengths: [T, T],
      frameLength: T,
      batchSize: 2,
    };
    const { value, grads } = tf.variableGrads(
      () => model.loss(batch, undefined, { training: true, teacherForcingRatio: 0.5, rng: new Rng(7) }).loss,
    );
    expect(Number.isFinite(value.dataSync()[0])).toBe(true);
    for (const [name, g] of Object.entries(grads)) {
      expect(Number.isFinite(tf.sum(tf.abs(g)).dataSync()[0]!), name).toBe(true);
    }
    expect(tf.sum(tf.abs(grads[model.variables['decoder/frames/kernel']!.name]!)).dataSync()[0]).toBeGreaterThan(0);
    tf.dispose([value, ...Object.values(grads)]);

    // d/dx Σ cut(x)·x = cut(x) = x: the cut factor contributes nothing.
    const x = tf.tensor1d([0.5, -2, 3]);
    const dx = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(withoutGradient(v), v)))(x);
    expect(Array.from(dx.dataSync())).toEqual([0.5, -2, 3]);
    tf.dispose([x, dx]);
  });
});
