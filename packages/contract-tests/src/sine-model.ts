import { GRUCell, linear, RecurrentLayer } from '@seqgen/cells';
import { type ContinuousSequenceModel, glorotUniform, type JsonObject, type ModelConfig, Rng } from '@seqgen/core';
import type { DataSource, LossContext, LossResult, TrainableModel } from '@seqgen/trainer';
import * as tf from '@tensorflow/tfjs';

/** A batch of waves, `[batch, time]` samples each (frameSize 1). */
export interface WaveBatch {
  waves: Float32Array[];
}

export interface SineModelOptions {
  units?: number;
  seed?: number;
}

/**
 * A tiny continuous-output model: a GRU over the samples so far and a linear
 * head predicting the next sample. Trained with MSE as a trainer
 * `TrainableModel` (the fused whole-sequence GRU), decoded one frame per step
 * as a core `ContinuousSequenceModel` (the same GRU's `step`), so samplers'
 * `generateFrames` continues a primer knowing nothing of it.
 */
export class SineModel implements TrainableModel<WaveBatch>, ContinuousSequenceModel<tf.Tensor[]> {
  readonly frameSize = 1;
  readonly units: number;
  private readonly layer: RecurrentLayer;
  private readonly head: { kernel: tf.Variable; bias: tf.Variable };
  private readonly seed: number;

  constructor(options: SineModelOptions = {}) {
    this.units = options.units ?? 32;
    this.seed = options.seed ?? 0;
    this.layer = new RecurrentLayer(new GRUCell({ inputSize: 1, units: this.units, seed: this.seed + 1 }));
    this.head = {
      kernel: tf.variable(glorotUniform(new Rng(this.seed), [this.units, 1]), true),
      bias: tf.variable(tf.zeros([1]), true),
    };
  }

  get variables(): Record<string, tf.Variable> {
    const cell = Object.fromEntries(Object.entries(this.layer.variables).map(([k, v]) => [`gru/${k}`, v]));
    return { ...cell, 'head/kernel': this.head.kernel, 'head/bias': this.head.bias };
  }

  /** Mean squared error of the predicted next sample at every position. */
  loss(batch: WaveBatch, _state: tf.Tensor[] | undefined, _context: LossContext): LossResult {
    const B = batch.waves.length;
    const T = (batch.waves[0] as Float32Array).length;
    const data = new Float32Array(B * T);
    for (const [b, w] of batch.waves.entries()) data.set(w, b * T);
    const waves = tf.tensor3d(data, [B, T, 1]);
    const inputs = tf.slice(waves, [0, 0, 0], [B, T - 1, 1]);
    const targets = tf.slice(waves, [0, 1, 0], [B, T - 1, 1]);
    const { output } = this.layer.apply(inputs);
    const predicted = linear(output, this.head.kernel as tf.Tensor2D, this.head.bias as tf.Tensor1D);
    return { loss: tf.mean(tf.square(tf.sub(predicted, targets))) as tf.Scalar, tokens: B * (T - 1) };
  }

  initialState(batchSize: number): tf.Tensor[] {
    return this.layer.cell.initialState(batchSize);
  }

  step(frames: tf.Tensor2D, state: tf.Tensor[]): { frame: tf.Tensor2D; state: tf.Tensor[] } {
    const { output, state: next } = this.layer.cell.step(frames, state);
    const frame = linear(output, this.head.kernel as tf.Tensor2D, this.head.bias as tf.Tensor1D) as tf.Tensor2D;
    return { frame, state: next };
  }

  getConfig(): ModelConfig {
    return { type: 'sine-test', units: this.units, seed: this.seed };
  }

  dispose(): void {
    this.layer.dispose();
    this.head.kernel.dispose();
    this.head.bias.dispose();
  }
}

/** One wave: sin(2π·f·t + φ), f in [0.03, 0.08] cycles per sample, φ uniform, plus N(0, noise²) per sample. */
export function sineWave(rng: Rng, length: number, noise: number): { noisy: Float32Array; clean: Float32Array } {
  const f = rng.uniform(0.03, 0.08);
  const phase = rng.uniform(0, 2 * Math.PI);
  const clean = Float32Array.from({ length }, (_, t) => Math.sin(2 * Math.PI * f * t + phase));
  const noisy = clean.map((x) => x + rng.normal(0, noise));
  return { noisy, clean };
}

/** An endless, resumable supply of noisy sine waves. */
export class SineData implements DataSource<WaveBatch> {
  private readonly rng: Rng;

  constructor(
    seed: number,
    private readonly batchSize: number,
    private readonly length: number,
    private readonly noise: number,
  ) {
    this.rng = new Rng(seed);
  }

  next(): WaveBatch {
    return { waves: Array.from({ length: this.batchSize }, () => sineWave(this.rng, this.length, this.noise).noisy) };
  }

  getState(): JsonObject {
    return { rng: [...this.rng.getState()] };
  }

  setState(state: JsonObject): void {
    this.rng.setState(state.rng as unknown as [number, number, number, number]);
  }
}
