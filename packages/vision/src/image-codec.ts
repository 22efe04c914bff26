import type { Codec, CodecJson } from '@seqgen/core';
import {
  assertPositiveInteger,
  ConfigError,
  isRegisteredConfigType,
  registerConfigType,
  ShapeError,
} from '@seqgen/core';
import { convertChannels } from './color-conversion.js';
import type { Image, ImageChannels } from './image.js';
import type { ChannelStats } from './images-to-tensor.js';
import { normalizePixels } from './images-to-tensor.js';
import { resizeImage } from './resize-image.js';

/** Registry type (kind `codec`) of {@link ImageCodec}. */
export const IMAGE_CODEC_TYPE = 'image';
const IMAGE_CODEC_VERSION = 1;

/** Options of {@link ImageCodec}: the fixed input size a model reads. */
export type ImageCodecOptions = {
  /** Width every image is resized to. */
  width: number;
  /** Height every image is resized to. */
  height: number;
  /** Channels every image is converted to (1 gray, 3 RGB). Default 1. */
  channels?: 1 | 3;
  /** Per-channel standardization after scaling to [0, 1]; default none (values stay in [0, 1]). */
  stats?: ChannelStats;
};

/**
 * The image preprocessor a checkpoint stores: any image ⇄ the `H·W·C`
 * floats (HWC order) a model reads. `encode` resizes (antialiased), converts
 * channels and normalizes; `decode` undoes the normalization into an 8-bit
 * image of the model's size. Plain arrays, no tfjs state.
 */
export class ImageCodec implements Codec<Image, Float32Array> {
  /** Registry type under kind `codec`. */
  readonly type = IMAGE_CODEC_TYPE;
  /** Width every image is resized to. */
  readonly width: number;
  /** Height every image is resized to. */
  readonly height: number;
  /** Channels every image is converted to. */
  readonly channels: 1 | 3;
  /** Per-channel standardization, when any. */
  readonly stats: ChannelStats | undefined;

  constructor(options: ImageCodecOptions) {
    assertPositiveInteger('width', options.width);
    assertPositiveInteger('height', options.height);
    const channels = options.channels ?? 1;
    if (channels !== 1 && channels !== 3) throw new ConfigError('channels', `must be 1 or 3, got ${String(channels)}`);
    this.width = options.width;
    this.height = options.height;
    this.channels = channels;
    this.stats = options.stats && { mean: [...options.stats.mean], std: [...options.stats.std] };
    // Validates the stats once, on a one-pixel image.
    if (this.stats) normalizePixels({ width: 1, height: 1, channels, data: new Uint8Array(channels) }, this.stats);
  }

  /** Floats per encoded image: `height × width × channels`. */
  get frameSize(): number {
    return this.width * this.height * this.channels;
  }

  /** Resizes, converts and normalizes an image into `frameSize` floats. */
  encode(image: Image): Float32Array {
    const converted = convertChannels(image, this.channels);
    const sized = resizeImage(converted, this.width, this.height);
    return normalizePixels(sized, this.stats ?? true);
  }

  /** Turns `frameSize` floats back into an 8-bit image (values clamped). */
  decode(encoded: Float32Array): Image {
    if (!(encoded instanceof Float32Array) || encoded.length !== this.frameSize) {
      throw new ShapeError('encoded', `a Float32Array of ${this.frameSize} values`, String(encoded?.length));
    }
    const data = new Uint8Array(encoded.length);
    for (let i = 0; i < encoded.length; i++) {
      const c = i % this.channels;
      let v = encoded[i] as number;
      if (this.stats) {
        const mean = (this.stats.mean.length === 1 ? this.stats.mean[0] : this.stats.mean[c]) as number;
        const std = (this.stats.std.length === 1 ? this.stats.std[0] : this.stats.std[c]) as number;
        v = v * std + mean;
      }
      data[i] = Math.min(255, Math.max(0, Math.round(v * 255)));
    }
    return { width: this.width, height: this.height, channels: this.channels as ImageChannels, data };
  }

  /** JSON the registry (kind `codec`, type `image`) rebuilds an equal codec from. */
  toJSON(): CodecJson {
    const json: CodecJson = {
      type: IMAGE_CODEC_TYPE,
      version: IMAGE_CODEC_VERSION,
      width: this.width,
      height: this.height,
      channels: this.channels,
    };
    if (this.stats) json.stats = { mean: [...this.stats.mean], std: [...this.stats.std] };
    return json;
  }

  /** Rebuilds a codec from {@link ImageCodec.toJSON}'s output; a wrong field is a `ConfigError`. */
  static fromJSON(json: unknown): ImageCodec {
    if (typeof json !== 'object' || json === null) throw new ConfigError('codec', 'image codec JSON must be an object');
    const j = json as Record<string, unknown>;
    if (j.type !== IMAGE_CODEC_TYPE)
      throw new ConfigError('type', `expected "${IMAGE_CODEC_TYPE}", got ${JSON.stringify(j.type)}`);
    if (j.version !== IMAGE_CODEC_VERSION) {
      throw new ConfigError(
        'version',
        `image codec version ${JSON.stringify(j.version)} is not ${IMAGE_CODEC_VERSION}`,
      );
    }
    const stats = j.stats as { mean?: unknown; std?: unknown } | undefined;
    if (stats !== undefined && (!Array.isArray(stats?.mean) || !Array.isArray(stats?.std))) {
      throw new ConfigError('stats', 'must be {mean: number[], std: number[]}');
    }
    return new ImageCodec({
      width: j.width as number,
      height: j.height as number,
      channels: j.channels as 1 | 3,
      ...(stats ? { stats: stats as ChannelStats } : {}),
    });
  }
}

/**
 * Registers {@link ImageCodec} in core's registry (kind `codec`, type
 * `image`) so that checkpoints with an image preprocessor rebuild it.
 * Idempotent; nothing relies on an import side effect.
 */
export function registerImageCodec(): void {
  if (!isRegisteredConfigType('codec', IMAGE_CODEC_TYPE)) {
    registerConfigType('codec', IMAGE_CODEC_TYPE, (config) => ImageCodec.fromJSON(config));
  }
}
