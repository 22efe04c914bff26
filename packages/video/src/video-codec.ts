import {
  type CodecJson,
  ConfigError,
  type FrameCodec,
  isRegisteredConfigType,
  registerConfigType,
  ShapeError,
} from '@seqgen/core';
import { type ChannelStats, ImageCodec, type ImageCodecOptions } from '@seqgen/vision';
import { checkVideo, type Video } from './video.js';
import { frameImage, videoFromImages } from './video-frame-image.js';

/** Registry type (kind `codec`) of {@link VideoCodec}. */
export const VIDEO_CODEC_TYPE = 'video';
const VIDEO_CODEC_VERSION = 1;

/** Options of {@link VideoCodec}: the frame size a model reads (those of `@seqgen/vision`'s `ImageCodec`). */
export type VideoCodecOptions = ImageCodecOptions;

/**
 * The video preprocessor a checkpoint stores: a {@link Video} ⇄ one
 * `H·W·C`-float frame per video frame (HWC order), each frame resized,
 * channel-converted and normalized by `@seqgen/vision`'s `ImageCodec`.
 * A `FrameCodec`: frame predictors read and write these frames. Plain
 * arrays, no tfjs state.
 */
export class VideoCodec implements FrameCodec<Video> {
  /** Registry type under kind `codec`. */
  readonly type = VIDEO_CODEC_TYPE;
  /** The per-frame codec. */
  readonly frame: ImageCodec;

  constructor(options: VideoCodecOptions) {
    this.frame = new ImageCodec(options);
  }

  /** Floats per encoded frame: `height × width × channels`. */
  get frameSize(): number {
    return this.frame.frameSize;
  }

  /** Every frame resized, converted and normalized into `frameSize` floats. */
  encode(video: Video): Float32Array[] {
    checkVideo(video);
    return video.frames.map((_, t) => this.frame.encode(frameImage(video, t)));
  }

  /** Frames of `frameSize` floats back into an 8-bit video of the codec's size (values clamped). */
  decode(encoded: Float32Array[]): Video {
    if (!Array.isArray(encoded) || encoded.length === 0) throw new ShapeError('encoded', 'at least one frame', 'none');
    return videoFromImages(encoded.map((f) => this.frame.decode(f)));
  }

  /** JSON the registry (kind `codec`, type `video`) rebuilds an equal codec from. */
  toJSON(): CodecJson {
    const { type: _type, version: _version, ...frame } = this.frame.toJSON();
    return { type: VIDEO_CODEC_TYPE, version: VIDEO_CODEC_VERSION, ...frame };
  }

  /** Rebuilds a codec from {@link VideoCodec.toJSON}'s output; a wrong field is a `ConfigError`. */
  static fromJSON(json: unknown): VideoCodec {
    if (typeof json !== 'object' || json === null) throw new ConfigError('codec', 'video codec JSON must be an object');
    const j = json as Record<string, unknown>;
    if (j.type !== VIDEO_CODEC_TYPE)
      throw new ConfigError('type', `expected "${VIDEO_CODEC_TYPE}", got ${JSON.stringify(j.type)}`);
    if (j.version !== VIDEO_CODEC_VERSION)
      throw new ConfigError(
        'version',
        `video codec version ${JSON.stringify(j.version)} is not ${VIDEO_CODEC_VERSION}`,
      );
    const frame = ImageCodec.fromJSON({ ...j, type: 'image', version: 1 });
    return new VideoCodec({
      width: frame.width,
      height: frame.height,
      channels: frame.channels,
      ...(frame.stats ? { stats: frame.stats as ChannelStats } : {}),
    });
  }
}

/**
 * Registers {@link VideoCodec} in core's registry (kind `codec`, type
 * `video`) so that checkpoints with a video preprocessor rebuild it.
 * Idempotent; nothing relies on an import side effect.
 */
export function registerVideoCodec(): void {
  if (!isRegisteredConfigType('codec', VIDEO_CODEC_TYPE)) {
    registerConfigType('codec', VIDEO_CODEC_TYPE, (config) => VideoCodec.fromJSON(config));
  }
}
