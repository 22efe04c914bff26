import { assertPositiveInteger, Rng } from '@seqgen/core';
import { checkVideo, type Video } from './video.js';
import { VideoDataError } from './video-data-error.js';

/** Options of {@link slidingClips}. */
export type SlidingClipOptions = {
  /** Frames per clip. */
  length: number;
  /** Frames between the starts of consecutive clips (default `length`: no overlap). */
  stride?: number;
};

/** Options of {@link randomClips}. */
export type RandomClipOptions = {
  /** Frames per clip. */
  length: number;
  /** Clips to draw (with replacement). */
  count: number;
  /** Seed of the start positions, or an `Rng` to draw from (default seed 0). */
  seed?: number | Rng;
};

/** Start frames of every whole clip of `length` frames, `stride` apart, in `frameCount` frames. */
export function clipStarts(frameCount: number, options: SlidingClipOptions): number[] {
  const { length } = options;
  const stride = options.stride ?? length;
  assertPositiveInteger('length', length);
  assertPositiveInteger('stride', stride);
  const starts: number[] = [];
  for (let s = 0; s + length <= frameCount; s += stride) starts.push(s);
  return starts;
}

/**
 * Every whole clip of `length` frames, starting `stride` frames apart (a
 * trailing partial clip is dropped). A video shorter than `length` is a
 * `too-few-frames` VideoDataError naming `source`.
 */
export function slidingClips(video: Video, options: SlidingClipOptions, source = 'video'): Video[] {
  checkVideo(video);
  const starts = clipStarts(video.frames.length, options);
  if (starts.length === 0) throw tooFew(video, options.length, source);
  return starts.map((s) => clip(video, s, options.length));
}

/** `count` clips of `length` frames at seeded uniformly random starts (with replacement). */
export function randomClips(video: Video, options: RandomClipOptions, source = 'video'): Video[] {
  checkVideo(video);
  assertPositiveInteger('length', options.length);
  assertPositiveInteger('count', options.count);
  const positions = video.frames.length - options.length + 1;
  if (positions < 1) throw tooFew(video, options.length, source);
  const rng = options.seed instanceof Rng ? options.seed : new Rng(options.seed ?? 0);
  return Array.from({ length: options.count }, () => clip(video, rng.int(positions), options.length));
}

function clip(video: Video, start: number, length: number): Video {
  const out: Video = { ...video, frames: video.frames.slice(start, start + length) };
  if (video.delaysMs) out.delaysMs = video.delaysMs.slice(start, start + length);
  return out;
}

function tooFew(video: Video, length: number, source: string): VideoDataError {
  return new VideoDataError('too-few-frames', source, `${video.frames.length} frames, fewer than a clip of ${length}`);
}
