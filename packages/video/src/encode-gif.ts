import { assertInRange, assertNonNegativeInteger, ConfigError } from '@seqgen/core';
import { convertChannels } from '@seqgen/vision';
import * as gifencModule from 'gifenc';
import { checkVideo, type Video } from './video.js';
import { frameImage } from './video-frame-image.js';

/** Options of {@link encodeGif}. */
export type EncodeGifOptions = {
  /**
   * Display time of every frame in milliseconds (default: the video's
   * `delaysMs`, else 100). GIF stores hundredths of a second, so it is rounded to 10 ms.
   */
  delayMs?: number;
  /** Times the animation plays after the first (default 0: loop forever; -1: play once). */
  repeat?: number;
};

// gifenc ships CommonJS (`main`) and ESM (`module`) without an exports map: Node's ESM loader sees
// only a default export holding the functions, bundlers and CommonJS see the functions themselves.
const gifenc = (
  'GIFEncoder' in gifencModule ? gifencModule : (gifencModule as { default: unknown }).default
) as typeof gifencModule;

// A gray frame's byte is its own palette index: 256 grays make the GIF lossless for gray video.
const GRAY_PALETTE = Array.from({ length: 256 }, (_, v) => [v, v, v]);

/**
 * Encodes a video as an animated GIF with `gifenc`. Gray video is stored
 * losslessly (a 256-gray palette); RGB/RGBA frames are quantized to 256
 * colors per frame (gifenc's PnnQuant), alpha dropped.
 */
export function encodeGif(video: Video, options: EncodeGifOptions = {}): Uint8Array {
  checkVideo(video);
  if (video.frames.length === 0) throw new ConfigError('video.frames', 'a GIF needs at least one frame');
  if (video.width > 65535 || video.height > 65535)
    throw new ConfigError('video', `GIF frames are at most 65535×65535, got ${video.width}×${video.height}`);
  if (options.delayMs !== undefined) assertInRange('delayMs', options.delayMs, 0, 655350);
  const repeat = options.repeat ?? 0;
  if (repeat !== -1) assertNonNegativeInteger('repeat', repeat);
  const encoder = gifenc.GIFEncoder();
  video.frames.forEach((frame, t) => {
    const delay = options.delayMs ?? video.delaysMs?.[t] ?? 100;
    let palette = GRAY_PALETTE;
    let index = frame;
    if (video.channels !== 1) {
      const rgba = convertChannels(frameImage(video, t), 4).data;
      palette = gifenc.quantize(rgba, 256, { format: 'rgb565' });
      index = gifenc.applyPalette(rgba, palette, 'rgb565');
    }
    encoder.writeFrame(index, video.width, video.height, { palette, delay, repeat });
  });
  encoder.finish();
  return encoder.bytes();
}
