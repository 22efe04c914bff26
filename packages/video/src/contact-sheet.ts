import { assertPositiveInteger, ShapeError } from '@seqgen/core';
import type { Image } from '@seqgen/vision';
import { checkVideo, type Video } from './video.js';

/** Options of {@link contactSheet}. */
export type ContactSheetOptions = {
  /** Frames per row (default: all of them in one row, at most 10). */
  columns?: number;
  /** Pixels between frames and around the sheet (default 2). */
  gap?: number;
  /** Value of the gap pixels in every channel (default 255, white). */
  background?: number;
};

/**
 * Lays chosen frames of a video out on one image, row by row in the order
 * given (a contact sheet: keyframes at a glance). The image has the video's
 * channels; write it with `@seqgen/vision`'s `encodePng`.
 */
export function contactSheet(video: Video, frames: readonly number[], options: ContactSheetOptions = {}): Image {
  checkVideo(video);
  if (!Array.isArray(frames) || frames.length === 0) {
    throw new ShapeError('frames', 'a non-empty array of frame indices', String(frames), 'contactSheet');
  }
  for (const [i, f] of frames.entries()) {
    if (!Number.isInteger(f) || f < 0 || f >= video.frames.length) {
      throw new ShapeError(`frames[${i}]`, `a frame index in [0, ${video.frames.length})`, String(f), 'contactSheet');
    }
  }
  const columns = options.columns ?? Math.min(frames.length, 10);
  assertPositiveInteger('columns', columns);
  const gap = options.gap ?? 2;
  if (!Number.isInteger(gap) || gap < 0) throw new ShapeError('gap', 'a non-negative integer', String(gap));
  const rows = Math.ceil(frames.length / columns);
  const { width: w, height: h, channels: C } = video;
  const width = gap + Math.min(columns, frames.length) * (w + gap);
  const height = gap + rows * (h + gap);
  const data = new Uint8Array(width * height * C).fill(options.background ?? 255);
  frames.forEach((f, k) => {
    const frame = video.frames[f] as Uint8Array;
    const left = gap + (k % columns) * (w + gap);
    const top = gap + Math.floor(k / columns) * (h + gap);
    for (let y = 0; y < h; y++) {
      data.set(frame.subarray(y * w * C, (y + 1) * w * C), ((top + y) * width + left) * C);
    }
  });
  return { width, height, channels: C, data };
}
