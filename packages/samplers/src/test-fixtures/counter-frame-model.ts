import type { ContinuousSequenceModel, ModelConfig } from '@seqgen/core';
import * as tf from '@tensorflow/tfjs';

/** State of {@link CounterFrameModel}: the per-row limit it keeps from its condition. */
export interface CounterState {
  limit: tf.Tensor2D;
}

/**
 * Test fixture (not exported): a real tfjs continuous model with frameSize 2.
 * next frame = input + [1, 2]; stop logit = 10·(next[0] − limit + 0.5), so a
 * row fed its own outputs from the zero "go" frame emits [1, 2], [2, 4], …
 * and asks to stop at the frame whose first value reaches its limit. The
 * condition is the limits `[batch, 1]` (default: never stop). Options make
 * it return a frame or stop logit of the wrong shape, or no stop logit.
 */
export class CounterFrameModel implements ContinuousSequenceModel<CounterState, tf.Tensor2D> {
  readonly frameSize = 2;
  readonly initRows: number[] = [];
  stepCalls = 0;
  private readonly step1: tf.Tensor1D;

  constructor(private readonly options: { stopLogit?: boolean; badFrame?: boolean; badStop?: boolean } = {}) {
    this.step1 = tf.tensor1d([1, 2]);
  }

  initialState(batchSize: number, condition?: tf.Tensor2D): CounterState {
    this.initRows.push(batchSize);
    return { limit: condition ?? tf.fill([batchSize, 1], 1e9) };
  }

  step(frames: tf.Tensor2D, state: CounterState): { frame: tf.Tensor2D; stopLogit?: tf.Tensor1D; state: CounterState } {
    this.stepCalls++;
    let frame = tf.add(frames, this.step1) as tf.Tensor2D;
    if (this.options.badFrame) frame = tf.concat([frame, frame], 1);
    if (this.options.stopLogit === false) return { frame, state };
    const first = tf.slice(frame, [0, 0], [-1, 1]);
    let stopLogit = tf.reshape(tf.mul(tf.add(tf.sub(first, state.limit), 0.5), 10), [-1]) as tf.Tensor1D;
    if (this.options.badStop) stopLogit = tf.reshape(stopLogit, [-1, 1]) as unknown as tf.Tensor1D;
    return { frame, stopLogit, state };
  }

  getConfig(): ModelConfig {
    return { type: 'counter-frame-test-model' };
  }

  dispose(): void {
    this.step1.dispose();
  }
}
