import { linear } from '@seqgen/cells';
import {
  type CheckpointManifest,
  type CheckpointSource,
  ConfigError,
  describeValue,
  glorotUniform,
  type LoadCheckpointOptions,
  type ModelConfig,
  Rng,
  type SequenceModel,
  type SequenceStepResult,
  ShapeError,
} from '@seqgen/core';
import { assertMatchesVocab } from '@seqgen/tokenizers';
import { ConvEncoder } from '@seqgen/vision/encoder';
import * as tf from '@tensorflow/tfjs';
import { type LoadedModel, loadModel, type SaveModelOptions, saveModel } from '../checkpoint-io.js';
import type { LMConfigLimits } from '../lm-config.js';
import { loadLimits } from '../load-limits.js';
import { maskedCrossEntropy } from '../masked-cross-entropy.js';
import { checkModelType } from '../model-type.js';
import { AttentionDecoder, type AttentionDecoderState, type Seq2SeqCondition } from '../seq2seq/attention-decoder.js';
import { variableFrom } from '../variable-from.js';
import { attentionPenalty } from './attention-penalty.js';
import type { CaptionBatch } from './caption-batches.js';
import {
  CAPTIONER_TYPE,
  type CaptionerConfig,
  type CaptionerOptions,
  captionDecoderShape,
  captionerWeightShapes,
  memorySizeOf,
  resolveCaptionerConfig,
} from './captioner-config.js';

const NAME = 'Captioner';

/** What {@link Captioner.loss} returns: the training loss, its parts and the tokens counted. */
export type CaptionerLossResult = {
  /** Cross-entropy per caption token (nats) + λ · the attention penalty (training only). */
  loss: tf.Scalar;
  /** Caption tokens counted (EOS included). */
  tokens: number;
};

/** What `loss` reads from the trainer's `LossContext`. */
export type CaptionerLossContext = {
  /** Apply dropout and the attention penalty (default false). */
  training?: boolean;
  /** The trainer's seeded generator (dropout masks). */
  rng?: Rng;
};

/** What {@link Captioner.evaluate} reports. */
export type CaptionerEvaluation = {
  /** Mean cross-entropy per caption token, nats (no penalty, no dropout). */
  loss: number;
  /** Caption tokens counted (EOS included). */
  tokens: number;
};

/** A checkpoint's captioner with its `tokenizer` (caption words) and metadata. */
export type LoadedCaptioner = LoadedModel<Captioner>;

/**
 * An image captioner in the manner of Show, Attend and Tell (Xu et al. 2015):
 * `@seqgen/vision`'s `ConvEncoder` turns an image into a spatial
 * feature map; its mean initializes the decoder LSTM's state (one tanh
 * layer per `h` and `c`); the decoder is this package's
 * {@link AttentionDecoder}, attending softly over the feature map's
 * positions at every word, trained with the doubly stochastic attention
 * regularizer. It trains with `@seqgen/trainer` (a `TrainableModel<CaptionBatch>`;
 * variables `encoder/…` can be frozen or given a lower rate) and decodes with
 * `@seqgen/samplers` (a `SequenceModel` conditioned on `encode(images)`).
 */
export class Captioner implements SequenceModel<AttentionDecoderState, Seq2SeqCondition> {
  /** The complete config, defaults filled. */
  readonly config: Readonly<CaptionerConfig>;
  /** Caption vocabulary (the samplers' `vocabSize`). */
  readonly vocabSize: number;
  /** The CNN encoder (variables `encoder/conv<i>/…`). */
  readonly encoder: ConvEncoder;
  /** The attention decoder over the encoder's feature map. */
  readonly decoder: AttentionDecoder;
  private readonly own: Record<string, tf.Variable>;
  private readonly rng: Rng;
  private disposed = false;

  private constructor(config: CaptionerConfig) {
    this.config = Object.freeze({ ...config });
    this.vocabSize = config.vocabSize;
    this.rng = new Rng(config.seed + 13);
    this.encoder = new ConvEncoder(config.encoder, config.seed + 1);
    this.decoder = new AttentionDecoder({
      ...captionDecoderShape(config),
      dropout: config.dropout,
      seed: config.seed + 5,
    });
    const rng = new Rng(config.seed);
    const D = memorySizeOf(config);
    this.own = {};
    for (let l = 0; l < config.decoderLayers; l++) {
      for (const part of ['h', 'c']) {
        this.own[`init/layers.${l}/${part}/kernel`] = variableFrom(glorotUniform(rng, [D, config.hiddenSize]));
        this.own[`init/layers.${l}/${part}/bias`] = variableFrom(tf.zeros([config.hiddenSize]));
      }
    }
  }

  /** Builds a captioner with fresh weights from `seed`; options are checked before anything is allocated. */
  static create(options: CaptionerOptions, limits: Partial<LMConfigLimits> = {}): Captioner {
    return new Captioner(resolveCaptionerConfig(options, limits));
  }

  /** Rebuilds a captioner from `getConfig()` JSON (a ConfigError names a bad field). */
  static fromConfig(config: ModelConfig | CaptionerConfig, limits: Partial<LMConfigLimits> = {}): Captioner {
    checkModelType(config, CAPTIONER_TYPE);
    return Captioner.create(config as unknown as CaptionerOptions, limits);
  }

  /** Every weight's name and shape for a config, computed without allocating. */
  static weightShapes(
    config: ModelConfig | CaptionerOptions,
    limits: Partial<LMConfigLimits> = {},
  ): Record<string, number[]> {
    checkModelType(config, CAPTIONER_TYPE);
    return captionerWeightShapes(resolveCaptionerConfig(config as CaptionerOptions, limits));
  }

  /** Loads a checkpoint written by `save` (config and weights checked against each other before building). */
  static async load(source: CheckpointSource, options: LoadCheckpointOptions = {}): Promise<LoadedCaptioner> {
    const limits = loadLimits(options);
    return loadModel(
      source,
      (config) => Captioner.fromConfig(config, limits),
      options,
      (config) => Captioner.weightShapes(config, limits),
    );
  }

  /** Trainable weights: `encoder/conv<i>/{kernel,bias}`, `init/layers.{l}/{h,c}/{kernel,bias}`, `decoder/…`. */
  get variables(): Record<string, tf.Variable> {
    const out: Record<string, tf.Variable> = { ...this.encoder.variables, ...this.own };
    for (const [name, v] of Object.entries(this.decoder.variables)) out[`decoder/${name}`] = v;
    return out;
  }

  getConfig(): CaptionerConfig {
    return { ...this.config, encoder: { ...this.config.encoder, filters: [...this.config.encoder.filters] } };
  }

  /** `[H, W, C]` of the images the encoder reads. */
  get imageShape(): [number, number, number] {
    const e = this.config.encoder;
    return [e.inputHeight, e.inputWidth, e.inputChannels];
  }

  /**
   * Copies a pretrained encoder's weights into this captioner's encoder
   * (transfer learning). The convolution shapes must match; the input size
   * may differ (convolutions do not depend on it).
   */
  loadEncoderWeights(encoder: { variables: Record<string, tf.Variable> }): void {
    this.assertLive();
    for (const [name, target] of Object.entries(this.encoder.variables)) {
      const from = encoder.variables[name];
      if (!from)
        throw new ShapeError('encoder.variables', `a weight named "${name}"`, 'none', `${NAME}.loadEncoderWeights`);
      if (from.shape.join(',') !== target.shape.join(',')) {
        throw new ShapeError(
          `encoder.variables["${name}"]`,
          `[${target.shape}]`,
          `[${from.shape}]`,
          `${NAME}.loadEncoderWeights`,
        );
      }
      target.assign(from);
    }
  }

  /** Image bytes (`count` images of `imageShape`, HWC) as the float tensor `[B, H, W, C]` in [0, 1] the encoder reads. */
  imagesTensor(pixels: Uint8Array, count: number): tf.Tensor4D {
    const [H, W, C] = this.imageShape;
    if (
      !(pixels instanceof Uint8Array) ||
      !Number.isInteger(count) ||
      count < 1 ||
      pixels.length !== count * H * W * C
    ) {
      throw new ShapeError(
        'pixels',
        `${count} images of ${H}×${W}×${C} bytes (${count * H * W * C} bytes)`,
        pixels instanceof Uint8Array ? `${pixels.length} bytes` : describeValue(pixels),
        NAME,
      );
    }
    const floats = new Float32Array(pixels.length);
    for (let i = 0; i < pixels.length; i++) floats[i] = (pixels[i] as number) / 255;
    return tf.tensor4d(floats, [count, H, W, C]);
  }

  /**
   * Encodes images `[B, H, W, C]` (floats in [0, 1]) into the decoder's
   * condition: the feature map as memory `[B, h·w, D]` and the LSTM's initial
   * states from its mean. The caller disposes it (`disposeCondition`).
   */
  encode(images: tf.Tensor4D): Seq2SeqCondition {
    this.assertLive();
    return tf.tidy(() => this.conditionOf(images) as unknown as tf.TensorContainer) as unknown as Seq2SeqCondition;
  }

  /** The decoder's starting state from `encode`'s condition (core's `SequenceModel`). */
  initialState(batchSize: number, condition?: Seq2SeqCondition): AttentionDecoderState {
    this.assertLive();
    if (condition === undefined) {
      throw new ConfigError('condition', `${NAME} decodes from encoded images: pass model.encode(images)`);
    }
    return this.decoder.initialState(batchSize, condition);
  }

  /** One caption token per row: logits `[B, vocabSize]`, O(1) in the prefix. */
  step(tokens: tf.Tensor1D, state: AttentionDecoderState): SequenceStepResult<AttentionDecoderState> {
    this.assertLive();
    return this.decoder.step(tokens, state);
  }

  /**
   * The trainer's loss: cross-entropy per caption token under teacher
   * forcing, plus (while training, with attention) λ times the doubly
   * stochastic attention penalty.
   */
  loss(batch: CaptionBatch, _state?: tf.Tensor[], context: CaptionerLossContext = {}): CaptionerLossResult {
    this.assertLive();
    const training = context.training ?? false;
    const rng = context.rng ?? this.rng;
    const { images, inputs, targets, mask, tokens } = this.batchTensors(batch);
    try {
      const loss = tf.tidy(() => {
        const condition = this.conditionOf(images);
        const out = this.decoder.forward(inputs, condition, { training, rng });
        let total = maskedCrossEntropy(out.logits, targets, mask, tokens);
        if (training && out.attention && this.config.attentionPenalty > 0) {
          total = tf.add(total, tf.mul(attentionPenalty(out.attention, mask), this.config.attentionPenalty));
        }
        return total as tf.Scalar;
      });
      return { loss, tokens };
    } finally {
      tf.dispose([images, inputs, targets, mask]);
    }
  }

  /** Mean cross-entropy per caption token (nats) over `batches`, and the tokens counted (no penalty, no dropout). */
  evaluate(batches: readonly CaptionBatch[]): CaptionerEvaluation {
    let nll = 0;
    let tokens = 0;
    for (const batch of batches) {
      const { loss, tokens: n } = this.loss(batch);
      nll += (loss.dataSync()[0] as number) * n;
      loss.dispose();
      tokens += n;
    }
    return { loss: nll / Math.max(tokens, 1), tokens };
  }

  /** Saves config, preprocessors (the caption `tokenizer`), metadata and weights as a seqgen checkpoint. */
  async save(path: string, options: SaveModelOptions = {}): Promise<CheckpointManifest> {
    this.assertLive();
    const tokenizer = (options.tokenizer ?? options.preprocessors?.tokenizer) as
      | { type?: string; vocabSize?: number }
      | undefined;
    if (tokenizer && typeof tokenizer.vocabSize === 'number' && typeof tokenizer.type === 'string') {
      assertMatchesVocab(tokenizer as { type: string; vocabSize: number }, this.vocabSize, "captioner's");
    }
    return saveModel(path, this, options);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.encoder.dispose();
    this.decoder.dispose();
    for (const v of Object.values(this.own)) v.dispose();
  }

  /** Encoder + initial states, inside the caller's tidy. */
  private conditionOf(images: tf.Tensor4D): Seq2SeqCondition {
    const { memory, pooled, featureMap } = this.encoder.encode(images);
    featureMap.dispose();
    const initialStates: tf.Tensor2D[] = [];
    for (let l = 0; l < this.config.decoderLayers; l++) {
      for (const part of ['h', 'c']) {
        const kernel = this.own[`init/layers.${l}/${part}/kernel`] as tf.Tensor2D;
        const bias = this.own[`init/layers.${l}/${part}/bias`] as tf.Tensor1D;
        initialStates.push(tf.tanh(linear(pooled, kernel, bias)) as tf.Tensor2D);
      }
    }
    pooled.dispose();
    return { memory, initialStates };
  }

  private batchTensors(batch: CaptionBatch): {
    images: tf.Tensor4D;
    inputs: tf.Tensor2D;
    targets: tf.Tensor2D;
    mask: tf.Tensor2D;
    tokens: number;
  } {
    const context = `${NAME}.loss`;
    if (typeof batch !== 'object' || batch === null) {
      throw new ShapeError('batch', 'a CaptionBatch', describeValue(batch), context);
    }
    const { batchSize: B, targetLength: T } = batch;
    if (!Number.isInteger(B) || B < 1)
      throw new ShapeError('batch.batchSize', 'a positive integer', String(B), context);
    if (!Number.isInteger(T) || T < 1)
      throw new ShapeError('batch.targetLength', 'a positive integer', String(T), context);
    for (const field of ['targetInputs', 'targetOutputs', 'targetMask'] as const) {
      if (batch[field]?.length !== B * T) {
        throw new ShapeError(`batch.${field}`, `${B * T} values`, String(batch[field]?.length), context);
      }
    }
    for (const field of ['targetInputs', 'targetOutputs'] as const) {
      const ids = batch[field];
      for (let i = 0; i < ids.length; i++) {
        const id = ids[i] as number;
        if (!Number.isInteger(id) || id < 0 || id >= this.vocabSize) {
          throw new ShapeError(`batch.${field}`, `token ids in [0, ${this.vocabSize})`, `${id} at ${i}`, context);
        }
      }
    }
    let tokens = 0;
    for (const m of batch.targetMask) tokens += m;
    const images = this.imagesTensor(batch.images, B);
    return {
      images,
      inputs: tf.tensor2d(batch.targetInputs, [B, T], 'int32'),
      targets: tf.tensor2d(batch.targetOutputs, [B, T], 'int32'),
      mask: tf.tensor2d(batch.targetMask, [B, T]),
      tokens,
    };
  }

  private assertLive(): void {
    if (this.disposed) throw new ConfigError('model', `this ${NAME} was disposed`);
  }
}
