import type { ModelConfig } from '@seqgen/core';
import {
  assertPositiveInteger,
  ConfigError,
  Rng,
  randomUniform,
  registerWasmConvKernels,
  ShapeError,
} from '@seqgen/core';
import * as tf from '@tensorflow/tfjs';

/** Registry/config `type` of {@link ConvEncoder}. */
export const CONV_ENCODER_TYPE = 'conv-encoder';

/** The JSON config of a {@link ConvEncoder}: input size and the width of each conv block. */
export type ConvEncoderConfig = {
  /** Always {@link CONV_ENCODER_TYPE}. */
  type: typeof CONV_ENCODER_TYPE;
  /** Input image height. */
  inputHeight: number;
  /** Input image width. */
  inputWidth: number;
  /** Input channels (1 gray, 3 RGB). */
  inputChannels: number;
  /** Filters of each 3×3 conv block; every block but the last is followed by a 2×2 max pool. Default [32, 64, 128]. */
  filters: number[];
  /** Square kernel size of every conv; default 3. */
  kernelSize: number;
};

/** What {@link ConvEncoder.encode} returns for a batch of images. */
export type EncodedImages = {
  /** The last block's activations `[B, h, w, D]`, kept spatial for attention. */
  featureMap: tf.Tensor4D;
  /** The feature map flattened to `[B, h·w, D]`: the attention memory a decoder reads (every position valid). */
  memory: tf.Tensor3D;
  /** Global average of the feature map `[B, D]`: one vector per image (classifiers, an LSTM's initial state). */
  pooled: tf.Tensor2D;
};

/** Fills a config's defaults and checks every field (`ConfigError` naming it). */
export function convEncoderConfig(
  config: Partial<ConvEncoderConfig> & Pick<ConvEncoderConfig, 'inputHeight' | 'inputWidth'>,
): ConvEncoderConfig {
  if (config.type !== undefined && config.type !== CONV_ENCODER_TYPE) {
    throw new ConfigError('type', `expected "${CONV_ENCODER_TYPE}", got ${JSON.stringify(config.type)}`);
  }
  const full: ConvEncoderConfig = {
    type: CONV_ENCODER_TYPE,
    inputHeight: config.inputHeight,
    inputWidth: config.inputWidth,
    inputChannels: config.inputChannels ?? 1,
    filters: config.filters ? [...config.filters] : [32, 64, 128],
    kernelSize: config.kernelSize ?? 3,
  };
  assertPositiveInteger('inputHeight', full.inputHeight);
  assertPositiveInteger('inputWidth', full.inputWidth);
  assertPositiveInteger('inputChannels', full.inputChannels);
  assertPositiveInteger('kernelSize', full.kernelSize);
  if (!Array.isArray(full.filters) || full.filters.length === 0) {
    throw new ConfigError('filters', 'must be a non-empty array of positive integers');
  }
  for (const [i, f] of full.filters.entries()) assertPositiveInteger(`filters[${i}]`, f);
  const pools = full.filters.length - 1;
  if (full.inputHeight >> pools < 1 || full.inputWidth >> pools < 1) {
    throw new ConfigError(
      'filters',
      `${full.filters.length} blocks halve a ${full.inputHeight}×${full.inputWidth} input ${pools} times to nothing`,
    );
  }
  return full;
}

/**
 * A small convolutional image encoder on tfjs ops: `filters.length` blocks of
 * 3×3 conv (same padding) + bias + ReLU, each but the last followed by a 2×2
 * max pool (e.g. 28×28×1 → 14×14×32 → 7×7×64 → 7×7×128). Its spatial feature
 * map is the memory an attention decoder reads; its pooled vector feeds a
 * classifier. Variables are named `encoder/conv<i>/kernel|bias`, so a
 * trainer can freeze them (`freeze: ['encoder/**']`) or give them a lower
 * learning rate (`learningRateGroups: [{ match: 'encoder/**', factor: 0.1 }]`).
 */
export class ConvEncoder {
  /** The encoder's config (what checkpoints store). */
  readonly config: ConvEncoderConfig;
  /** Trainable variables by name, `encoder/conv<i>/kernel` and `encoder/conv<i>/bias`. */
  readonly variables: Record<string, tf.Variable>;

  /** Builds the encoder with He-uniform kernels drawn from a seeded RNG (zero biases). */
  constructor(config: Partial<ConvEncoderConfig> & Pick<ConvEncoderConfig, 'inputHeight' | 'inputWidth'>, seed = 0) {
    this.config = convEncoderConfig(config);
    const rng = new Rng(seed);
    const k = this.config.kernelSize;
    this.variables = {};
    let inChannels = this.config.inputChannels;
    this.config.filters.forEach((out, i) => {
      const limit = Math.sqrt(6 / (k * k * inChannels));
      const name = `encoder/conv${i + 1}`;
      // Unnamed tfjs variables: tfjs names are global, and two encoders may coexist.
      this.variables[`${name}/kernel`] = tf.variable(randomUniform(rng, [k, k, inChannels, out], -limit, limit));
      this.variables[`${name}/bias`] = tf.variable(tf.zeros([out]));
      inChannels = out;
    });
  }

  /** Rebuilds an encoder from its config (the registry's factory). */
  static fromConfig(config: ModelConfig | ConvEncoderConfig, seed = 0): ConvEncoder {
    return new ConvEncoder(config as ConvEncoderConfig, seed);
  }

  /** The `[h, w, D]` of the feature map for this config's input size. */
  get outputShape(): [number, number, number] {
    const pools = this.config.filters.length - 1;
    const h = this.config.inputHeight >> pools;
    const w = this.config.inputWidth >> pools;
    return [h, w, this.config.filters[this.config.filters.length - 1] as number];
  }

  /** Feature depth D (the last block's filters). */
  get depth(): number {
    return this.outputShape[2];
  }

  /** Runs the conv blocks: images `[B, H, W, C]` (the config's size) → feature map `[B, h, w, D]`. */
  featureMap(images: tf.Tensor4D): tf.Tensor4D {
    const { inputHeight, inputWidth, inputChannels, filters } = this.config;
    if (
      images.rank !== 4 ||
      images.shape[1] !== inputHeight ||
      images.shape[2] !== inputWidth ||
      images.shape[3] !== inputChannels
    ) {
      throw new ShapeError(
        'images',
        `[B, ${inputHeight}, ${inputWidth}, ${inputChannels}]`,
        `[${images.shape.join(', ')}]`,
        'ConvEncoder',
      );
    }
    // Conv training needs Conv2DBackpropFilter, which tfjs's wasm backend lacks.
    registerWasmConvKernels();
    return tf.tidy(() => {
      let x: tf.Tensor4D = images;
      filters.forEach((_, i) => {
        const name = `encoder/conv${i + 1}`;
        x = tf.fused.conv2d({
          x,
          filter: this.variables[`${name}/kernel`] as tf.Tensor4D,
          bias: this.variables[`${name}/bias`],
          strides: 1,
          pad: 'same',
          activation: 'relu',
        });
        if (i < filters.length - 1) x = tf.maxPool(x, 2, 2, 'valid');
      });
      return x;
    });
  }

  /** The feature map, its `[B, h·w, D]` flattening (attention memory) and its global average `[B, D]`. */
  encode(images: tf.Tensor4D): EncodedImages {
    const featureMap = this.featureMap(images);
    return tf.tidy(() => {
      const [b, h, w, d] = featureMap.shape;
      return {
        featureMap,
        memory: tf.reshape(featureMap, [b, h * w, d]) as tf.Tensor3D,
        pooled: tf.mean(featureMap, [1, 2]) as tf.Tensor2D,
      };
    });
  }

  /** Number of weights (kernels and biases). */
  get parameterCount(): number {
    return Object.values(this.variables).reduce((n, v) => n + v.size, 0);
  }

  /** Frees the variables. */
  dispose(): void {
    for (const v of Object.values(this.variables)) v.dispose();
  }
}
