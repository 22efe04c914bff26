import type { StackedCellType } from '@seqgen/cells';
import { initBackend, Rng } from '@seqgen/core';
import { Trainer } from '@seqgen/trainer';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { GeneratedSource, type SeqBatch } from './batch.js';
import { TaskModel } from './model.js';
import { matchedHiddenSizes, parameterCount } from './params.js';
import { runTask } from './run.js';
import { digitsGenerator, loadMnistDigits, MNIST_CLASSES, MNIST_PIXELS, pixelPermutation } from './tasks/mnist.js';
import { addingSpec } from './tasks/specs.js';

beforeAll(async () => {
  await initBackend();
});

const CELLS: StackedCellType[] = ['rnn', 'lstm', 'gru'];

describe('parameter budget', () => {
  it('parameterCount matches the real variables of every cell and head', () => {
    for (const cell of CELLS) {
      const m = new TaskModel({ cell, inputSize: 3, hiddenSize: 5, outputSize: 4, head: 'classify-last' });
      expect(m.parameterCount).toBe(parameterCount(cell, 3, 5, 4));
      m.dispose();
    }
  });

  it('matched hidden sizes give parameter counts within 5% of the LSTM', () => {
    for (const [inputSize, outputSize, lstmHidden] of [
      [2, 1, 32],
      [10, 10, 64],
      [1, 10, 32],
    ] as const) {
      const sizes = matchedHiddenSizes(CELLS, lstmHidden, inputSize, outputSize);
      const target = parameterCount('lstm', inputSize, lstmHidden, outputSize);
      for (const cell of CELLS) {
        expect(Math.abs(parameterCount(cell, inputSize, sizes[cell], outputSize) / target - 1)).toBeLessThan(0.05);
      }
      expect(sizes.rnn).toBeGreaterThan(sizes.gru);
      expect(sizes.gru).toBeGreaterThan(sizes.lstm);
    }
  });
});

describe('training', () => {
  it('a 784-step sequence (permuted MNIST) trains a few steps without leaking tensors', async () => {
    const digits = loadMnistDigits({ perClass: 2 });
    const pool = Array.from({ length: digits.count }, (_, k) => k);
    const source = new GeneratedSource(digitsGenerator(digits, pool, pixelPermutation(1)), 4, 1);
    const model = new TaskModel({
      cell: 'lstm',
      inputSize: 1,
      hiddenSize: 8,
      outputSize: MNIST_CLASSES,
      head: 'classify-last',
    });
    const tensors: number[] = [];
    const trainer = new Trainer<SeqBatch>(
      model,
      { optimizer: { type: 'adam', learningRate: 1e-3 }, maxSteps: 4, bptt: 'full', progressBar: false },
      { onStep: () => void tensors.push(tf.memory().numTensors) },
    );
    const result = await trainer.fit(source);
    expect(result.steps).toBe(4);
    expect(Number.isFinite(result.lastLoss)).toBe(true);
    // After the first step (optimizer slots created) the count stays flat.
    expect(new Set(tensors.slice(1)).size).toBe(1);
    const before = tf.memory().numTensors;
    const s = await model.score(source.next());
    expect(s.count).toBe(4);
    expect(s.predictions).toBe(4);
    expect(tf.memory().numTensors).toBe(before);
    trainer.dispose();
    model.dispose();
    expect(MNIST_PIXELS).toBe(784);
  });

  it('LSTM beats the 0.167 baseline on the adding problem with T=20 within 150 steps (seeded)', async () => {
    const spec = { ...addingSpec(20, { testSize: 500, seed: 0 }), lstmHidden: 16, learningRate: 3e-2 };
    const r = await runTask(spec, 'lstm', { steps: 150, seed: 0, progressBar: false });
    expect(r.steps).toBe(150);
    expect(r.testLoss).toBeLessThan(0.5 * spec.baseline);
  });

  it('the many-to-many head scores every step and counts accuracy on recalled symbols only', async () => {
    const m = new TaskModel({ cell: 'gru', inputSize: 10, hiddenSize: 6, outputSize: 10, head: 'classify-each' });
    const { copyBatch } = await import('./tasks/copy.js');
    const b = copyBatch(new Rng(1), 3, 5);
    const s = await m.score(b);
    expect(s.count).toBe(3 * 25);
    expect(s.predictions).toBe(3 * 10);
    expect(s.correct).toBeLessThanOrEqual(s.predictions);
    m.dispose();
  });
});
