import { assertPositiveInteger, ConfigError } from '@seqgen/core';
import { convertChannels, type ImageChannels } from '@seqgen/vision';
import { GifReader } from 'omggif';
import type { Video } from './video.js';
import { VideoDataError } from './video-data-error.js';
import { resolveLimits, type VideoLimits } from './video-limits.js';

/** Options of {@link decodeGif}. */
export type DecodeGifOptions = VideoLimits & {
  /** Channels of the returned frames (default 3, RGB; transparent pixels become black). */
  channels?: ImageChannels;
  /** Fewest frames accepted (≥ 1, default 1): fewer is a `too-few-frames` VideoDataError. */
  minFrames?: number;
  /** Name of the bytes in error messages (default `'GIF'`); readGif passes the path. */
  source?: string;
};

// GIF disposal methods (GIF89a §23): what happens to a frame's rectangle before the next one is drawn.
const RESTORE_BACKGROUND = 2;
const RESTORE_PREVIOUS = 3;

/**
 * Decodes an animated (or single-frame) GIF with `omggif` into full frames:
 * each GIF frame is drawn onto the canvas left by the previous ones, honoring
 * transparency and the disposal methods, as browsers show it. Limits are
 * checked before any frame is decoded; a bad file is a `VideoDataError`
 * naming `source` and, for a bad frame, its index.
 */
export function decodeGif(bytes: Uint8Array, options: DecodeGifOptions = {}): Video {
  const source = options.source ?? 'GIF';
  const limits = resolveLimits(options);
  const channels = options.channels ?? 3;
  if (channels !== 1 && channels !== 3 && channels !== 4)
    throw new ConfigError('channels', `must be 1, 3 or 4, got ${String(channels)}`);
  const minFrames = options.minFrames ?? 1;
  assertPositiveInteger('minFrames', minFrames);
  if (!(bytes instanceof Uint8Array)) throw new ConfigError('bytes', 'must be a Uint8Array');
  if (bytes.length < 6 || !/^GIF8[79]a$/.test(String.fromCharCode(...bytes.subarray(0, 6)))) {
    throw new VideoDataError('corrupt', source, 'not a GIF (no GIF87a/GIF89a signature)');
  }
  let reader: GifReader;
  try {
    reader = new GifReader(bytes);
  } catch (cause) {
    throw new VideoDataError('corrupt', source, `unreadable GIF: ${(cause as Error).message}`, { cause });
  }
  const { width, height } = reader;
  const count = reader.numFrames();
  if (width < 1 || height < 1) throw new VideoDataError('corrupt', source, `empty logical screen ${width}×${height}`);
  if (count > limits.maxFrames) {
    throw new VideoDataError('too-many-frames', source, `${count} frames, more than maxFrames ${limits.maxFrames}`);
  }
  if (width * height * count > limits.maxPixels) {
    throw new VideoDataError(
      'too-many-pixels',
      source,
      `${count} frames of ${width}×${height} = ${width * height * count} pixels, more than maxPixels ${limits.maxPixels}`,
    );
  }
  if (count < minFrames) throw new VideoDataError('too-few-frames', source, `${count} frames, fewer than ${minFrames}`);

  const canvas = new Uint8Array(width * height * 4);
  const frames: Uint8Array[] = [];
  const delaysMs: number[] = [];
  let saved: Uint8Array | undefined;
  let previous: { x: number; y: number; width: number; height: number; disposal: number } | undefined;
  for (let t = 0; t < count; t++) {
    const info = reader.frameInfo(t);
    if (info.width < 1 || info.height < 1 || info.x + info.width > width || info.y + info.height > height) {
      throw new VideoDataError(
        'corrupt-frame',
        source,
        `frame rectangle ${info.width}×${info.height} at (${info.x}, ${info.y}) lies outside the ${width}×${height} screen`,
        { frame: t },
      );
    }
    if (previous?.disposal === RESTORE_BACKGROUND) clearRect(canvas, width, previous);
    else if (previous?.disposal === RESTORE_PREVIOUS && saved) canvas.set(saved);
    if (info.disposal === RESTORE_PREVIOUS) saved = canvas.slice();
    try {
      reader.decodeAndBlitFrameRGBA(t, canvas);
    } catch (cause) {
      throw new VideoDataError('corrupt-frame', source, `undecodable image data: ${(cause as Error).message}`, {
        frame: t,
        cause,
      });
    }
    const rgba = { width, height, channels: 4 as const, data: canvas.slice() };
    frames.push(convertChannels(rgba, channels).data);
    delaysMs.push(info.delay * 10);
    previous = info;
  }
  return { width, height, channels, frames, delaysMs };
}

function clearRect(
  canvas: Uint8Array,
  screenWidth: number,
  r: { x: number; y: number; width: number; height: number },
) {
  for (let y = r.y; y < r.y + r.height; y++)
    canvas.fill(0, (y * screenWidth + r.x) * 4, (y * screenWidth + r.x + r.width) * 4);
}
