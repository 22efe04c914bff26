import { mkdirSync, readdirSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { assertPositiveInteger, ConfigError, fileKind } from '@seqgen/core';
import { decodeImage, encodePng, type ImageChannels } from '@seqgen/vision';
import { naturalCompare } from './natural-compare.js';
import { readFileChecked } from './read-file-checked.js';
import { checkVideo, type Video } from './video.js';
import { VideoDataError } from './video-data-error.js';
import { frameImage } from './video-frame-image.js';
import { resolveLimits, type VideoLimits } from './video-limits.js';
import { writeFileAtomic } from './write-file-atomic.js';

/** Options of {@link readFrameFolder}. */
export type ReadFrameFolderOptions = VideoLimits & {
  /** Channels of the returned frames (default: the first frame's). */
  channels?: ImageChannels;
  /** Fewest frames accepted (≥ 1, default 1): fewer is a `too-few-frames` VideoDataError. */
  minFrames?: number;
};

const FRAME_EXTENSIONS = new Set(['.png', '.jpg', '.jpeg']);

/** The frame files (PNG or JPEG) of a folder, in natural order: `frame2.png` before `frame10.png`. */
export function listFrameFiles(dir: string): string[] {
  let names: string[];
  try {
    const stats = statSync(dir);
    if (!stats.isDirectory())
      throw new VideoDataError('not-a-file', dir, `is ${fileKind(stats)}, not a folder of frames`);
    names = readdirSync(dir);
  } catch (cause) {
    if (cause instanceof VideoDataError) throw cause;
    const code = (cause as NodeJS.ErrnoException).code;
    throw new VideoDataError(
      code === 'ENOENT' ? 'not-found' : 'io',
      dir,
      `cannot list frames (${code ?? (cause as Error).message})`,
      {
        cause,
      },
    );
  }
  return names.filter((n) => FRAME_EXTENSIONS.has(extname(n).toLowerCase())).sort(naturalCompare);
}

/**
 * Reads a folder of PNG (or JPEG) frames, in natural file-name order, with
 * `@seqgen/vision`'s `decodeImage`. The frame count and the total pixels are
 * checked against the limits, and every frame must have the first one's
 * size; failures are `VideoDataError`s naming the file and the frame index.
 */
export function readFrameFolder(dir: string, options: ReadFrameFolderOptions = {}): Video {
  const limits = resolveLimits(options);
  const minFrames = options.minFrames ?? 1;
  assertPositiveInteger('minFrames', minFrames);
  const files = listFrameFiles(dir);
  if (files.length > limits.maxFrames)
    throw new VideoDataError('too-many-frames', dir, `${files.length} frames, more than maxFrames ${limits.maxFrames}`);
  if (files.length < minFrames)
    throw new VideoDataError('too-few-frames', dir, `${files.length} frames, fewer than ${minFrames}`);
  const frames: Uint8Array[] = [];
  let first: { width: number; height: number; channels: ImageChannels } | undefined;
  files.forEach((name, t) => {
    const path = join(dir, name);
    const bytes = readFileChecked(path, limits.maxFileBytes);
    let image: ReturnType<typeof decodeImage>;
    try {
      // Later frames take the first frame's channels, so a stray RGB frame in a gray clip still stacks.
      const channels = options.channels ?? first?.channels;
      image = decodeImage(
        bytes,
        channels ? { name: path, maxPixels: limits.maxPixels, channels } : { name: path, maxPixels: limits.maxPixels },
      );
    } catch (cause) {
      if (cause instanceof ConfigError) throw cause;
      throw new VideoDataError('corrupt-frame', path, (cause as Error).message, { frame: t, cause });
    }
    if (first && (image.width !== first.width || image.height !== first.height))
      throw new VideoDataError(
        'size-mismatch',
        path,
        `${image.width}×${image.height}, but frame 0 (${files[0]}) is ${first.width}×${first.height}`,
        { frame: t },
      );
    first ??= { width: image.width, height: image.height, channels: image.channels };
    if (first.width * first.height * (t + 1) > limits.maxPixels)
      throw new VideoDataError(
        'too-many-pixels',
        dir,
        `more than maxPixels ${limits.maxPixels} pixels in ${t + 1} frames`,
        {
          frame: t,
        },
      );
    frames.push(image.data);
  });
  return { ...(first as NonNullable<typeof first>), frames };
}

/**
 * Writes every frame as a PNG (`@seqgen/vision`'s `encodePng`) named
 * `<prefix>00001.png`, … into `dir`, which must not hold frames already (an
 * `exists` VideoDataError: nothing of the caller's is overwritten).
 */
export function writeFrameFolder(dir: string, video: Video, options: { prefix?: string } = {}): string[] {
  checkVideo(video);
  const prefix = options.prefix ?? 'frame';
  if (/[/\\]/.test(prefix))
    throw new ConfigError('prefix', `must be a file-name prefix without slashes, got ${JSON.stringify(prefix)}`);
  mkdirSync(dir, { recursive: true });
  if (listFrameFiles(dir).length > 0)
    throw new VideoDataError('exists', dir, 'already holds frames; write into a new folder');
  const digits = Math.max(5, String(video.frames.length).length);
  return video.frames.map((_, t) => {
    const path = join(dir, `${prefix}${String(t + 1).padStart(digits, '0')}.png`);
    writeFileAtomic(path, encodePng(frameImage(video, t)));
    return path;
  });
}
