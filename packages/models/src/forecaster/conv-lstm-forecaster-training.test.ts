import { initBackend } from '@seqgen/core';
import { Trainer } from '@seqgen/trainer';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { copyLastFrame } from './baselines.js';
import { ConvLstmForecaster } from './conv-lstm-forecaster.js';
import { frameMetrics } from './frame-metrics.js';
import { MovingSquare } from './moving-square.js';

const STEPS = Number(process.env.FORECASTER_STEPS ?? 80);
const CONTEXT = 2;
const HORIZON = 3;

describe('ConvLstmForecaster through the Trainer: a 2×2 square moving one pixel per frame on 8×8', () => {
  beforeAll(async () => {
    await initBackend();
  });

  it('trains with MSE and rolls out held-out sequences better than copying the last frame', async () => {
    const model = new ConvLstmForecaster({
      height: 8,
      width: 8,
      patchSize: 2,
      hiddenChannels: [8, 8],
      kernelSize: 3,
      contextFrames: CONTEXT,
      seed: 1,
    });
    const started = performance.now();
    const cpuBefore = process.cpuUsage();
    const losses: number[] = [];
    const trainer = new Trainer(
      model,
      { optimizer: { type: 'adam', learningRate: 0.03 }, maxSteps: STEPS, bptt: 'full', seed: 2, progressBar: false },
      {
        onStep: (m) => {
          losses.push(m.loss);
        },
      },
    );
    const result = await trainer.fit(new MovingSquare(3, 8, CONTEXT + HORIZON));
    trainer.dispose();
    const trainSeconds = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpuBefore);
    const cpuSeconds = (cpu.user + cpu.system) / 1e6;

    const test = new MovingSquare(99, 64, CONTEXT + HORIZON).next();
    const frames = tf.tensor5d(test.data, [64, CONTEXT + HORIZON, 8, 8, 1]);
    const context = tf.slice(frames, [0, 0], [64, CONTEXT]) as tf.Tensor5D;
    const truth = tf.slice(frames, [0, CONTEXT], [64, HORIZON]) as tf.Tensor5D;
    const before = tf.memory().numTensors;
    const predicted = model.predict(context, HORIZON);
    expect(tf.memory().numTensors).toBe(before + 1);
    const copied = copyLastFrame(context, HORIZON);
    const blank = tf.zerosLike(truth);
    const ours = await frameMetrics(predicted, truth);
    const copy = await frameMetrics(copied, truth);
    const black = await frameMetrics(blank, truth);
    console.info(
      `[forecaster ${tf.getBackend()}] ${result.steps} steps in ${trainSeconds.toFixed(1)} s (${cpuSeconds.toFixed(1)} s of CPU), loss ${losses[0]?.toFixed(4)} → ${result.lastLoss?.toFixed(4)}; ` +
        `${HORIZON}-frame rollout MSE per frame ${ours.msePerFrame.toFixed(2)} vs copy-last-frame ${copy.msePerFrame.toFixed(2)} (an all-black prediction: ${black.msePerFrame.toFixed(2)})`,
    );
    expect(result.steps).toBe(STEPS);
    expect(result.lastLoss as number).toBeLessThan((losses[0] as number) / 2);
    expect(ours.msePerFrame).toBeLessThan(copy.msePerFrame);
    tf.dispose([frames, context, truth, predicted, copied, blank]);
    model.dispose();
  });
});
