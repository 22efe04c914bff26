import { linear, type StackedCellType, StackedRNN } from '@seqgen/cells';
import type { ModelConfig } from '@seqgen/core';
import { glorotUniform, Rng } from '@seqgen/core';
import type { LossContext, LossResult, TrainableModel } from '@seqgen/trainer';
import * as tf from '@tensorflow/tfjs';
import type { SeqBatch } from './batch.js';

/**
 * What the model predicts from the recurrent outputs:
 * - `regression`: one number from the last hidden state (MSE; adding problem);
 * - `classify-last`: one class from the last hidden state (cross-entropy; sequential MNIST);
 * - `classify-each`: one class at every step (mean cross-entropy over all steps; copy task).
 */
export type HeadKind = 'regression' | 'classify-last' | 'classify-each';

export interface TaskModelOptions {
  cell: StackedCellType;
  inputSize: number;
  hiddenSize: number;
  /** 1 for regression, the number of classes otherwise. */
  outputSize: number;
  head: HeadKind;
  seed?: number;
}

/** Scores of a batch, computed without a tape. */
export interface BatchScore {
  /** Sum of per-example (regression, classify-last) or per-step (classify-each) losses. */
  lossSum: number;
  /** Number of terms in `lossSum`. */
  count: number;
  /** Correct predictions (classification) among `predictions`; 0 for regression. Copy task: only non-blank targets count. */
  correct: number;
  predictions: number;
}

function predictionCount(head: HeadKind, batch: SeqBatch): number {
  if (head === 'regression') return 0;
  if (head === 'classify-last') return batch.batchSize;
  return (batch.y as Int32Array).reduce((n, c) => n + (c !== 0 ? 1 : 0), 0);
}

/**
 * A one-layer `StackedRNN` (fused kernels) with a linear head: the small
 * many-to-one / many-to-many wrapper the trainer trains on every task.
 */
export class TaskModel implements TrainableModel<SeqBatch> {
  readonly rnn: StackedRNN;
  readonly options: Required<TaskModelOptions>;
  private readonly headKernel: tf.Variable;
  private readonly headBias: tf.Variable;

  constructor(options: TaskModelOptions) {
    this.options = { seed: 0, ...options };
    const o = this.options;
    this.rnn = new StackedRNN({ cell: o.cell, inputSize: o.inputSize, hiddenSize: o.hiddenSize, seed: o.seed });
    const headRng = new Rng(o.seed + 1);
    this.headKernel = tf.variable(glorotUniform(headRng, [o.hiddenSize, o.outputSize]));
    this.headBias = tf.variable(tf.zeros([o.outputSize]));
  }

  get variables(): Record<string, tf.Variable> {
    return { ...this.rnn.variables, 'head/kernel': this.headKernel, 'head/bias': this.headBias };
  }

  /** Trainable parameters in total (recurrent layer and head). */
  get parameterCount(): number {
    return Object.values(this.variables).reduce((a, v) => a + v.size, 0);
  }

  getConfig(): ModelConfig {
    return { type: 'long-range-task-model', ...this.options };
  }

  /** Head outputs: `[B, out]` (from the last step) or `[B, T, out]` (every step). */
  forward(batch: SeqBatch): tf.Tensor {
    const x = tf.tensor3d(batch.x, [batch.batchSize, batch.time, batch.features]);
    const { output, states } = this.rnn.apply(x);
    const kernel = this.headKernel as tf.Tensor as tf.Tensor2D;
    const bias = this.headBias as tf.Tensor as tf.Tensor1D;
    if (this.options.head === 'classify-each') return linear(output, kernel, bias);
    const last = (states[states.length - 1] as tf.Tensor[])[0] as tf.Tensor;
    return linear(last, kernel, bias);
  }

  /** Per-example (or per-step) losses, flattened. */
  private losses(batch: SeqBatch, out: tf.Tensor): tf.Tensor1D {
    if (this.options.head === 'regression') {
      return tf.square(tf.sub(tf.reshape(out, [-1]), tf.tensor1d(batch.y as Float32Array))) as tf.Tensor1D;
    }
    const C = this.options.outputSize;
    const logits = tf.reshape(out, [-1, C]);
    const onehot = tf.oneHot(tf.tensor1d(batch.y as Int32Array, 'int32'), C).toFloat();
    return tf.neg(tf.sum(tf.mul(tf.logSoftmax(logits), onehot), 1)) as tf.Tensor1D;
  }

  loss(batch: SeqBatch, _state: undefined, _context: LossContext): LossResult {
    const losses = this.losses(batch, this.forward(batch));
    return { loss: tf.mean(losses) as tf.Scalar, tokens: losses.shape[0] };
  }

  /** Loss sum and correct predictions on `batch`, without gradients (disposes everything it makes). */
  async score(batch: SeqBatch): Promise<BatchScore> {
    const [lossSum, correct, count] = tf.tidy(() => {
      const out = this.forward(batch);
      const losses = this.losses(batch, out);
      let correct: tf.Tensor = tf.scalar(0);
      if (this.options.head !== 'regression') {
        const y = tf.tensor1d(batch.y as Int32Array, 'int32');
        const hit = tf.cast(tf.equal(tf.argMax(tf.reshape(out, [-1, this.options.outputSize]), 1), y), 'float32');
        // Many-to-many (copy): accuracy counts only the steps whose target is not blank (class 0), the recalled symbols.
        correct =
          this.options.head === 'classify-each'
            ? tf.sum(tf.mul(hit, tf.cast(tf.notEqual(y, 0), 'float32')))
            : tf.sum(hit);
      }
      return [tf.sum(losses), correct, losses.shape[0]] as const;
    });
    const [l, c] = await Promise.all([lossSum.data(), correct.data()]);
    tf.dispose([lossSum, correct]);
    return {
      lossSum: l[0] as number,
      count,
      correct: c[0] as number,
      predictions: predictionCount(this.options.head, batch),
    };
  }

  dispose(): void {
    tf.dispose(Object.values(this.variables));
  }
}
