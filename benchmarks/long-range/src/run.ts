import type { StackedCellType } from '@seqgen/cells';
import { Trainer } from '@seqgen/trainer';
import { GeneratedSource } from './batch.js';
import { TaskModel } from './model.js';
import { matchedHiddenSizes } from './params.js';
import type { TaskSpec } from './tasks/specs.js';

export interface RunOptions {
  /** Stop after this many optimizer steps. */
  steps: number;
  /** Also stop once training has taken this many minutes (checked after each step). */
  minutes?: number;
  seed?: number;
  /** The trainer's terminal progress bar (default: on when stderr is a terminal). */
  progressBar?: boolean;
  /** Called after every step. */
  onStep?: (step: number, loss: number) => void;
}

export interface RunResult {
  task: string;
  T: number;
  cell: StackedCellType;
  hidden: number;
  params: number;
  batchSize: number;
  steps: number;
  /** Wall-clock seconds of training (not evaluation). */
  trainSeconds: number;
  /** Held-out loss: MSE (adding) or mean cross-entropy in nats (copy: per step; MNIST: per digit). */
  testLoss: number;
  /** Held-out accuracy (classification tasks), else null. */
  testAccuracy: number | null;
  /** The task's final metric (`spec.metric`). */
  metric: number;
  baseline: number;
  /** Training loss after every step. */
  curve: Array<[number, number]>;
}

/** Trains one cell on one task with @seqgen/trainer (Adam, global-norm clip 1, full BPTT) and scores it on the held-out batches. */
export async function runTask(spec: TaskSpec, cell: StackedCellType, options: RunOptions): Promise<RunResult> {
  const seed = options.seed ?? 0;
  const hidden = matchedHiddenSizes([cell], spec.lstmHidden, spec.inputSize, spec.outputSize)[cell];
  const model = new TaskModel({
    cell,
    inputSize: spec.inputSize,
    hiddenSize: hidden,
    outputSize: spec.outputSize,
    head: spec.head,
    seed,
  });
  const curve: Array<[number, number]> = [];
  const limitMs = options.minutes !== undefined ? options.minutes * 60_000 : Number.POSITIVE_INFINITY;
  let started = 0;
  const trainer: Trainer<(typeof spec.test)[number]> = new Trainer(
    model,
    {
      optimizer: { type: 'adam', learningRate: spec.learningRate },
      clip: { type: 'norm', maxNorm: 1 },
      maxSteps: options.steps,
      seed,
      bptt: 'full',
      progressBar: options.progressBar ?? Boolean(process.stderr.isTTY),
    },
    {
      onStep: (m) => {
        curve.push([m.step, m.loss]);
        options.onStep?.(m.step, m.loss);
        if (performance.now() - started > limitMs) trainer.stop();
      },
    },
  );
  try {
    started = performance.now();
    const fit = await trainer.fit(new GeneratedSource(spec.train, spec.batchSize, seed));
    const trainSeconds = (performance.now() - started) / 1000;
    let lossSum = 0;
    let count = 0;
    let correct = 0;
    let predictions = 0;
    for (const batch of spec.test) {
      const s = await model.score(batch);
      lossSum += s.lossSum;
      count += s.count;
      correct += s.correct;
      predictions += s.predictions;
    }
    const testLoss = lossSum / count;
    const testAccuracy = predictions > 0 ? correct / predictions : null;
    return {
      task: spec.task,
      T: spec.T,
      cell,
      hidden,
      params: model.parameterCount,
      batchSize: spec.batchSize,
      steps: fit.steps,
      trainSeconds,
      testLoss,
      testAccuracy,
      metric: spec.metric === 'test accuracy' ? (testAccuracy ?? Number.NaN) : testLoss,
      baseline: spec.baseline,
      curve,
    };
  } finally {
    trainer.dispose();
    model.dispose();
  }
}
