import { ShapeError } from '@seqgen/core';
import type { ImageChannels } from '@seqgen/vision';

/**
 * A clip of equally sized 8-bit frames, each `height × width × channels`
 * bytes in row-major HWC order (the layout of PNG and GIF pixels and of
 * tfjs image tensors).
 */
export type Video = {
  /** Frame width in pixels. */
  width: number;
  /** Frame height in pixels. */
  height: number;
  /** Channels per pixel: 1 (gray), 3 (RGB) or 4 (RGBA). */
  channels: ImageChannels;
  /** The frames, each `height * width * channels` bytes. */
  frames: Uint8Array[];
  /** Display time of each frame in milliseconds, when the source had one (GIF delays). */
  delaysMs?: number[];
};

/**
 * Checks that `video` is a well-formed {@link Video} (positive integer sizes,
 * 1/3/4 channels, every frame of the right length) and throws a ShapeError
 * naming `argument` and the frame otherwise.
 */
export function checkVideo(video: Video, argument = 'video'): void {
  if (typeof video !== 'object' || video === null) throw new ShapeError(argument, 'a Video object', typeof video);
  const { width, height, channels, frames } = video;
  for (const [name, value] of [
    ['width', width],
    ['height', height],
  ] as const) {
    if (!Number.isInteger(value) || value < 1)
      throw new ShapeError(`${argument}.${name}`, 'a positive integer', String(value));
  }
  if (channels !== 1 && channels !== 3 && channels !== 4)
    throw new ShapeError(`${argument}.channels`, '1, 3 or 4', String(channels));
  if (!Array.isArray(frames)) throw new ShapeError(`${argument}.frames`, 'an array of Uint8Array', typeof frames);
  const size = width * height * channels;
  frames.forEach((frame, t) => {
    if (!(frame instanceof Uint8Array)) throw new ShapeError(`${argument}.frames[${t}]`, 'a Uint8Array', typeof frame);
    if (frame.length !== size)
      throw new ShapeError(
        `${argument}.frames[${t}]`,
        `${size} bytes (${height}×${width}×${channels})`,
        `${frame.length}`,
      );
  });
}
