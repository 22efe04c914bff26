import { GRUCell, linear, RecurrentLayer } from '@seqgen/cells';
import {
  type CheckpointManifest,
  type CheckpointSource,
  ConfigError,
  glorotUniform,
  type LoadCheckpointOptions,
  type ModelConfig,
  Rng,
} from '@seqgen/core';
import * as tf from '@tensorflow/tfjs';
import { encodeModel, type LoadedModel, type SaveModelOptions, saveModel } from '../checkpoint-io.js';
import { loadModelOfType } from '../load-model-of-type.js';
import { checkModelType } from '../model-type.js';
import { type ClipFeatureBatch, checkClipFeatures, clipBatchTensors } from './clip-feature-batch.js';
import {
  resolveVideoClassifierConfig,
  VIDEO_CLASSIFIER_TYPE,
  type VideoClassifierConfig,
  type VideoClassifierLimits,
  type VideoClassifierOptions,
  videoClassifierWeightShapes,
} from './video-classifier-config.js';

const NAME = 'VideoClassifier';

/** What {@link VideoClassifier.loss} returns for one batch (clips are independent: no state is carried). */
export type VideoClassifierLossResult = {
  /** Mean softmax cross-entropy of the clips' labels, in nats. */
  loss: tf.Scalar;
  /** Clips in the batch. */
  tokens: number;
};

/** What {@link VideoClassifier.evaluate} returns over held-out batches. */
export type VideoClassifierEvaluation = {
  /** Fraction of clips whose most probable class is their label. */
  accuracy: number;
  /** Mean cross-entropy per clip, in nats. */
  loss: number;
  /** Clips scored. */
  examples: number;
};

/**
 * Classifies clips from their per-frame features `[B, T, F]` (an image
 * encoder run over every frame): a bidirectional GRU reads the frames both
 * ways and its two final states feed a linear softmax head, so the order of
 * the frames (direction of motion, a bounce) decides the class. With
 * `temporal: 'mean-pool'` the same class is the non-recurrent baseline: the
 * features averaged over time, a ReLU layer and the head, blind to order.
 * Trains through `@seqgen/trainer` (`loss`), saves and loads as a seqgen
 * checkpoint and is registered as `video-classifier`.
 */
export class VideoClassifier {
  /** The complete config, defaults filled: what `getConfig` returns and checkpoints store. */
  readonly config: Readonly<VideoClassifierConfig>;
  private readonly forward?: RecurrentLayer;
  private readonly backward?: RecurrentLayer;
  private readonly pool?: { kernel: tf.Variable; bias: tf.Variable };
  private readonly head: { kernel: tf.Variable; bias: tf.Variable };
  private disposed = false;

  /** Builds a model with fresh weights from `seed`; options are checked against `limits` before anything is allocated. */
  constructor(options: VideoClassifierOptions, limits: Partial<VideoClassifierLimits> = {}) {
    const c = resolveVideoClassifierConfig(options, limits);
    this.config = Object.freeze({ ...c, classNames: Object.freeze([...c.classNames]) as string[] });
    const rng = new Rng(c.seed);
    let summary = c.units;
    if (c.temporal === 'bidirectional-gru') {
      const cell = (seed: number) => new GRUCell({ inputSize: c.featureSize, units: c.units, seed });
      this.forward = new RecurrentLayer(cell(c.seed + 1), { returnSequences: true });
      this.backward = new RecurrentLayer(cell(c.seed + 2), { returnSequences: true, reverse: true });
      summary = 2 * c.units;
    } else {
      this.pool = dense(rng, c.featureSize, c.units);
    }
    this.head = dense(rng, summary, c.classes);
  }

  /** Rebuilds a model from `getConfig()` JSON (a ConfigError names a bad or unknown field). */
  static fromConfig(
    config: ModelConfig | VideoClassifierConfig,
    limits: Partial<VideoClassifierLimits> = {},
  ): VideoClassifier {
    checkModelType(config, VIDEO_CLASSIFIER_TYPE);
    return new VideoClassifier(config as VideoClassifierOptions, limits);
  }

  /** Every weight's name and shape for a config, computed without allocating (a bad config is the same ConfigError). */
  static weightShapes(
    config: ModelConfig | VideoClassifierOptions,
    limits: Partial<VideoClassifierLimits> = {},
  ): Record<string, number[]> {
    checkModelType(config, VIDEO_CLASSIFIER_TYPE);
    return videoClassifierWeightShapes(resolveVideoClassifierConfig(config as VideoClassifierOptions, limits));
  }

  /** Loads a checkpoint written by `save` (or by `@seqgen/trainer`); another model type is a CheckpointError. */
  static load(source: CheckpointSource, options: LoadCheckpointOptions = {}): Promise<LoadedModel<VideoClassifier>> {
    return loadModelOfType(source, options, {
      type: VIDEO_CLASSIFIER_TYPE,
      build: (config) => VideoClassifier.fromConfig(config),
      weightShapes: (config) => VideoClassifier.weightShapes(config),
    });
  }

  /** Trainable weights: `forward/*` and `backward/*` (the GRU cells) or `pool/*`, then `head/kernel`, `head/bias`. */
  get variables(): Record<string, tf.Variable> {
    const out: Record<string, tf.Variable> = {};
    if (this.forward && this.backward) {
      for (const [k, v] of Object.entries(this.forward.variables)) out[`forward/${k}`] = v;
      for (const [k, v] of Object.entries(this.backward.variables)) out[`backward/${k}`] = v;
    }
    if (this.pool) {
      out['pool/kernel'] = this.pool.kernel;
      out['pool/bias'] = this.pool.bias;
    }
    out['head/kernel'] = this.head.kernel;
    out['head/bias'] = this.head.bias;
    return out;
  }

  /** The config as plain JSON. */
  getConfig(): VideoClassifierConfig {
    return { ...this.config, classNames: [...this.config.classNames] };
  }

  /** Unnormalized class scores `[B, classes]` of clips `[B, T, featureSize]`; the caller disposes them. */
  logits(features: tf.Tensor3D): tf.Tensor2D {
    this.assertLive();
    checkClipFeatures(features, this.config.featureSize, `${NAME}.logits`);
    return tf.tidy(() => this.logitsOf(features));
  }

  /** Class probabilities `[B, classes]` (softmax of {@link logits}); the caller disposes them. */
  probabilities(features: tf.Tensor3D): tf.Tensor2D {
    this.assertLive();
    checkClipFeatures(features, this.config.featureSize, `${NAME}.probabilities`);
    return tf.tidy(() => tf.softmax(this.logitsOf(features)) as tf.Tensor2D);
  }

  /**
   * What the model makes of each frame in context, `[B, T, D]`: the two GRU
   * directions' outputs side by side (D = 2·units), or the mean-pool
   * baseline's per-frame ReLU layer (D = units). Where these learned
   * features change most is where something happens in the clip (keyframes).
   */
  frameStates(features: tf.Tensor3D): tf.Tensor3D {
    this.assertLive();
    checkClipFeatures(features, this.config.featureSize, `${NAME}.frameStates`);
    return tf.tidy(() => {
      if (this.pool) {
        return tf.relu(linear(features, this.pool.kernel as tf.Tensor2D, this.pool.bias as tf.Tensor1D)) as tf.Tensor3D;
      }
      const { forward, backward } = this.recurrent(features);
      return tf.concat([forward.output, backward.output], 2) as tf.Tensor3D;
    });
  }

  /** The trainer's loss: mean softmax cross-entropy of each clip's label. */
  loss(batch: ClipFeatureBatch, _state?: tf.Tensor[], _context?: unknown): VideoClassifierLossResult {
    this.assertLive();
    const { features, labels } = clipBatchTensors(batch, this.config.featureSize, this.config.classes, `${NAME}.loss`);
    try {
      const loss = tf.tidy(() => crossEntropy(this.logitsOf(features), labels, this.config.classes));
      return { loss, tokens: features.shape[0] };
    } finally {
      features.dispose();
      labels.dispose();
    }
  }

  /** Accuracy and mean cross-entropy over held-out batches (no weights change). */
  async evaluate(batches: Iterable<ClipFeatureBatch>): Promise<VideoClassifierEvaluation> {
    this.assertLive();
    let correct = 0;
    let loss = 0;
    let examples = 0;
    for (const batch of batches) {
      const { features, labels } = clipBatchTensors(
        batch,
        this.config.featureSize,
        this.config.classes,
        `${NAME}.evaluate`,
      );
      try {
        const [lossSum, hits] = tf.tidy(() => {
          const logits = this.logitsOf(features);
          const B = features.shape[0];
          return [
            tf.mul(crossEntropy(logits, labels, this.config.classes), B),
            tf.sum(tf.cast(tf.equal(tf.argMax(logits, 1), labels), 'float32')),
          ];
        });
        loss += (await (lossSum as tf.Tensor).data())[0] as number;
        correct += (await (hits as tf.Tensor).data())[0] as number;
        examples += features.shape[0];
        tf.dispose([lossSum, hits]);
      } finally {
        features.dispose();
        labels.dispose();
      }
    }
    if (examples === 0) throw new ConfigError('batches', 'must hold at least one clip');
    return { accuracy: correct / examples, loss: loss / examples, examples };
  }

  /** Saves config, metadata and weights as a seqgen checkpoint (a folder or `.seqgen` file path in Node). */
  save(path: string, options: SaveModelOptions = {}): Promise<CheckpointManifest> {
    this.assertLive();
    return saveModel(path, this, options);
  }

  /** The checkpoint as the bytes of one `.seqgen` file; {@link VideoClassifier.load} reads them. */
  toBytes(options: SaveModelOptions = {}): Promise<Uint8Array<ArrayBuffer>> {
    this.assertLive();
    return encodeModel(this, options);
  }

  /** Frees every weight; later calls are a ConfigError. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.forward?.dispose();
    this.backward?.dispose();
    tf.dispose([this.head.kernel, this.head.bias]);
    if (this.pool) tf.dispose([this.pool.kernel, this.pool.bias]);
  }

  private recurrent(features: tf.Tensor3D) {
    const forward = (this.forward as RecurrentLayer).apply(features);
    const backward = (this.backward as RecurrentLayer).apply(features);
    return { forward, backward };
  }

  /** The clip summary through the head (inside the caller's tidy). */
  private logitsOf(features: tf.Tensor3D): tf.Tensor2D {
    let summary: tf.Tensor2D;
    if (this.pool) {
      const mean = tf.mean(features, 1) as tf.Tensor2D;
      summary = tf.relu(linear(mean, this.pool.kernel as tf.Tensor2D, this.pool.bias as tf.Tensor1D)) as tf.Tensor2D;
    } else {
      // The forward state after the last frame and the backward state after the first: each has read the whole clip.
      const { forward, backward } = this.recurrent(features);
      summary = tf.concat([forward.state[0] as tf.Tensor2D, backward.state[0] as tf.Tensor2D], 1);
    }
    return linear(summary, this.head.kernel as tf.Tensor2D, this.head.bias as tf.Tensor1D) as tf.Tensor2D;
  }

  private assertLive(): void {
    if (this.disposed) throw new ConfigError('model', `this ${NAME} was disposed`);
  }
}

function dense(rng: Rng, inputs: number, outputs: number): { kernel: tf.Variable; bias: tf.Variable } {
  const kernel = glorotUniform(rng, [inputs, outputs]);
  const out = { kernel: tf.variable(kernel, true), bias: tf.variable(tf.zeros([outputs]), true) };
  kernel.dispose();
  return out;
}

function crossEntropy(logits: tf.Tensor2D, labels: tf.Tensor1D, classes: number): tf.Scalar {
  const logProbs = tf.logSoftmax(logits);
  return tf.neg(tf.mean(tf.sum(tf.mul(logProbs, tf.oneHot(labels, classes)), 1))) as tf.Scalar;
}
