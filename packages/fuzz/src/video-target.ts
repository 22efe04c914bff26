import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeGif, decodeNpy, encodeGif, encodeNpy, readFrameFolder, type Video } from '@seqgen/video';
import { encodePng } from '@seqgen/vision';
import type { Target } from './target.js';
import type { Seed } from './test-fixtures/seeds.js';
import { isTypedError } from './typed-error.js';

/** The first byte of an input picks the reader; the rest is the file. */
const READERS = ['gif', 'png frame in a folder', 'npy'] as const;

/** A small gray clip with structure (a moving bar), so that LZW codes and palettes are not trivial. */
function barClip(width: number, height: number, frames: number, channels: 1 | 3): Video {
  return {
    width,
    height,
    channels,
    frames: Array.from({ length: frames }, (_, t) =>
      Uint8Array.from({ length: width * height * channels }, (_, i) => {
        const x = Math.floor(i / channels) % width;
        return x === t % width ? 255 : (i * 37 + t * 11) % 97;
      }),
    ),
  };
}

/**
 * GIFs written by @seqgen/video's `encodeGif` (gifenc: gray and quantized RGB,
 * one and several frames), PNG frames written by @seqgen/vision's `encodePng`,
 * and NumPy `.npy` files written by `encodeNpy` (uint8 `[T, N, H, W]` like
 * `mnist_test_seq.npy`, and float32), each behind its reader's selector byte.
 */
export function videoSeeds(): Seed[] {
  const tag = (reader: number, bytes: Uint8Array) => {
    const out = new Uint8Array(bytes.length + 1);
    out[0] = reader;
    out.set(bytes, 1);
    return out;
  };
  const gray = barClip(12, 8, 4, 1);
  const rgb = barClip(6, 5, 3, 3);
  return [
    { name: 'gif: gray 12×8, 4 frames', bytes: tag(0, encodeGif(gray)) },
    { name: 'gif: rgb 6×5, 3 frames', bytes: tag(0, encodeGif(rgb, { delayMs: 40, repeat: -1 })) },
    { name: 'gif: gray 1 frame', bytes: tag(0, encodeGif({ ...gray, frames: gray.frames.slice(0, 1) })) },
    {
      name: 'png frame: gray 12×8',
      bytes: tag(1, encodePng({ width: 12, height: 8, channels: 1, data: gray.frames[1] as Uint8Array })),
    },
    {
      name: 'png frame: rgb 12×8',
      bytes: tag(
        1,
        encodePng({ width: 12, height: 8, channels: 3, data: barClip(12, 8, 1, 3).frames[0] as Uint8Array }),
      ),
    },
    {
      name: 'npy: uint8 [4, 2, 8, 12]',
      bytes: tag(
        2,
        encodeNpy({ shape: [4, 2, 8, 12], dtype: 'uint8', data: new Uint8Array(768).map((_, i) => i % 251) }),
      ),
    },
    {
      name: 'npy: float32 [3, 5]',
      bytes: tag(
        2,
        encodeNpy({ shape: [3, 5], dtype: 'float32', data: Float32Array.from({ length: 15 }, (_, i) => i / 7) }),
      ),
    },
  ];
}

/**
 * The video readers of @seqgen/video on hostile bytes: `decodeGif` (then the
 * frames encoded and decoded again), `readFrameFolder` on a folder whose
 * second of three frames is the input, and `decodeNpy`. Limits are small, so
 * that a GIF claiming a huge screen is refused, not allocated.
 */
export const videoFiles: Target = {
  name: 'video-files',
  parser: 'decodeGif (+ re-encode), readFrameFolder (input as one PNG frame), decodeNpy',
  seeds: async () => videoSeeds(),
  async parse(input, ctx) {
    const reader = READERS[(input[0] ?? 0) % READERS.length];
    const bytes = input.subarray(1);
    const limits = { maxFrames: 64, maxPixels: 1 << 20 };
    if (reader === 'gif') {
      const video = decodeGif(bytes, { ...limits, source: 'fuzz.gif', channels: 3 });
      decodeGif(encodeGif(video), limits);
    } else if (reader === 'npy') {
      decodeNpy(bytes, 'fuzz.npy');
    } else {
      const dir = ctx.scratch();
      const frame = encodePng({ width: 12, height: 8, channels: 1, data: new Uint8Array(96).fill(9) });
      writeFileSync(join(dir, 'frame1.png'), frame);
      writeFileSync(join(dir, 'frame2.png'), bytes);
      writeFileSync(join(dir, 'frame10.png'), frame);
      readFrameFolder(dir, limits);
    }
  },
  isTypedError,
};
