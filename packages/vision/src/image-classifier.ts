import type { ModelConfig } from '@seqgen/core';
import {
  assertPositiveInteger,
  assignWeights,
  buildFromConfig,
  type CheckpointSource,
  ConfigError,
  isRegisteredConfigType,
  type JsonObject,
  loadCheckpoint,
  Rng,
  randomUniform,
  registerConfigType,
  ShapeError,
  saveCheckpoint,
} from '@seqgen/core';
import type { LossResult, TrainableModel } from '@seqgen/trainer';
import * as tf from '@tensorflow/tfjs';
import type { ConvEncoderConfig } from './conv-encoder.js';
import { ConvEncoder, convEncoderConfig } from './conv-encoder.js';
import type { ImageBatch } from './image-batcher.js';
import { imageBatches } from './image-batcher.js';
import type { LabeledImages } from './image-dataset.js';

/** Registry/config `type` of {@link ImageClassifier} (kind `model`). */
export const IMAGE_CLASSIFIER_TYPE = 'image-classifier';

/** The JSON config of an {@link ImageClassifier}. */
export type ImageClassifierConfig = {
  /** Always {@link IMAGE_CLASSIFIER_TYPE}. */
  type: typeof IMAGE_CLASSIFIER_TYPE;
  /** The encoder's config. */
  encoder: ConvEncoderConfig;
  /** Number of classes. */
  numClasses: number;
  /** Class names by index (optional, for reports). */
  classNames?: string[];
};

/**
 * A {@link ConvEncoder} with a linear softmax head on its pooled vector
 * (`head/kernel`, `head/bias`): the model that pretrains the encoder on a
 * classification task. A `TrainableModel` for `@seqgen/trainer`; its loss is
 * the mean cross-entropy over the batch's images.
 */
export class ImageClassifier implements TrainableModel<ImageBatch> {
  /** The config (what checkpoints store). */
  readonly config: ImageClassifierConfig;
  /** The convolutional encoder (its variables are shared with this model's). */
  readonly encoder: ConvEncoder;
  /** Every trainable variable: the encoder's `encoder/…` and the head's `head/kernel`, `head/bias`. */
  readonly variables: Record<string, tf.Variable>;

  constructor(
    config: Omit<ImageClassifierConfig, 'type' | 'encoder'> & {
      type?: string;
      encoder: Partial<ConvEncoderConfig> & Pick<ConvEncoderConfig, 'inputHeight' | 'inputWidth'>;
    },
    seed = 0,
  ) {
    if (config.type !== undefined && config.type !== IMAGE_CLASSIFIER_TYPE) {
      throw new ConfigError('type', `expected "${IMAGE_CLASSIFIER_TYPE}", got ${JSON.stringify(config.type)}`);
    }
    assertPositiveInteger('numClasses', config.numClasses);
    if (
      config.classNames !== undefined &&
      (!Array.isArray(config.classNames) || config.classNames.length !== config.numClasses)
    ) {
      throw new ConfigError('classNames', `must list ${config.numClasses} names`);
    }
    const encoderConfig = convEncoderConfig(config.encoder);
    this.config = {
      type: IMAGE_CLASSIFIER_TYPE,
      encoder: encoderConfig,
      numClasses: config.numClasses,
      ...(config.classNames ? { classNames: [...config.classNames] } : {}),
    };
    this.encoder = new ConvEncoder(encoderConfig, seed);
    const rng = new Rng(seed + 1);
    const depth = this.encoder.depth;
    const limit = Math.sqrt(6 / (depth + config.numClasses));
    this.variables = {
      ...this.encoder.variables,
      'head/kernel': tf.variable(randomUniform(rng, [depth, config.numClasses], -limit, limit)),
      'head/bias': tf.variable(tf.zeros([config.numClasses])),
    };
  }

  /** Rebuilds a classifier from its config (the registry's factory). */
  static fromConfig(config: ModelConfig | ImageClassifierConfig, seed = 0): ImageClassifier {
    return new ImageClassifier(config as ImageClassifierConfig, seed);
  }

  /** The config written into checkpoints. */
  getConfig(): ModelConfig {
    return JSON.parse(JSON.stringify(this.config)) as ModelConfig;
  }

  /** A batch's bytes as the `[B, H, W, C]` floats in [0, 1] the encoder reads. */
  batchTensor(batch: ImageBatch): tf.Tensor4D {
    const { inputHeight: h, inputWidth: w, inputChannels: c } = this.encoder.config;
    if (batch.pixels.length !== batch.size * h * w * c || batch.labels.length !== batch.size) {
      throw new ShapeError(
        'batch',
        `${batch.size} images of ${h}×${w}×${c} bytes and ${batch.size} labels`,
        `${batch.pixels.length} bytes, ${batch.labels.length} labels`,
      );
    }
    return tf.tidy(() => tf.div(tf.tensor4d(batch.pixels, [batch.size, h, w, c], 'float32'), 255));
  }

  /** Class logits `[B, numClasses]` for images `[B, H, W, C]` in [0, 1]. */
  logits(images: tf.Tensor4D): tf.Tensor2D {
    return tf.tidy(() => {
      const { pooled } = this.encoder.encode(images);
      return tf.add(
        tf.matMul(pooled, this.variables['head/kernel'] as tf.Variable),
        this.variables['head/bias'] as tf.Variable,
      ) as tf.Tensor2D;
    });
  }

  /** Mean softmax cross-entropy of the batch (one-hot, not gather: wasm cannot differentiate gather). */
  loss(batch: ImageBatch): LossResult {
    const loss = tf.tidy(() => {
      const logits = this.logits(this.batchTensor(batch));
      const onehot = tf.oneHot(tf.tensor1d(batch.labels, 'int32'), this.config.numClasses);
      return tf.losses.softmaxCrossEntropy(onehot, logits) as tf.Scalar;
    });
    return { loss, tokens: batch.size };
  }

  /** Predicted class of each image of a batch. */
  predict(batch: ImageBatch): Int32Array {
    return tf.tidy(() => tf.argMax(this.logits(this.batchTensor(batch)), 1).dataSync() as Int32Array);
  }

  /** Fraction of a labelled set classified correctly, in batches of `batchSize` (default 256). */
  accuracy(set: LabeledImages, batchSize = 256): number {
    let correct = 0;
    for (const batch of imageBatches(set, batchSize)) {
      const predicted = this.predict(batch);
      for (let i = 0; i < batch.size; i++) if (predicted[i] === batch.labels[i]) correct++;
    }
    return set.count === 0 ? 0 : correct / set.count;
  }

  /** Saves config, weights and `metadata` in core's checkpoint format (a folder, or one `.seqgen` file). */
  async save(location: string, metadata: JsonObject = {}): Promise<void> {
    await saveCheckpoint(location, { config: this.getConfig(), weights: this.variables, metadata });
  }

  /** Loads a classifier saved by {@link ImageClassifier.save} (rebuilt through core's registry). */
  static async load(source: CheckpointSource): Promise<ImageClassifier> {
    registerVisionModels();
    const checkpoint = await loadCheckpoint(source);
    const model = buildFromConfig<ImageClassifier>('model', checkpoint.config);
    try {
      assignWeights(model.variables, checkpoint.weights, {
        source: typeof source === 'string' ? source : 'checkpoint',
      });
    } catch (error) {
      model.dispose();
      throw error;
    }
    return model;
  }

  /** Frees every variable. */
  dispose(): void {
    for (const v of Object.values(this.variables)) v.dispose();
  }
}

/**
 * Registers this package's models in core's registry (kind `model`):
 * `image-classifier` and `conv-encoder`, so `buildFromConfig` and checkpoint
 * loaders rebuild them. Idempotent.
 */
export function registerVisionModels(): void {
  if (!isRegisteredConfigType('model', IMAGE_CLASSIFIER_TYPE)) {
    registerConfigType('model', IMAGE_CLASSIFIER_TYPE, (config) => ImageClassifier.fromConfig(config as ModelConfig));
  }
  if (!isRegisteredConfigType('model', 'conv-encoder')) {
    registerConfigType('model', 'conv-encoder', (config) => ConvEncoder.fromConfig(config as ModelConfig));
  }
}
