import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '@seqgen/core';
import { GifWriter } from 'omggif';
import { describe, expect, it } from 'vitest';
import { decodeGif } from './decode-gif.js';
import { encodeGif } from './encode-gif.js';
import { readGif, writeGif } from './gif-files.js';
import type { Video } from './video.js';
import { VideoDataError } from './video-data-error.js';

const RED = [255, 0, 0];
const GREEN = [0, 255, 0];
const BLUE = [0, 0, 255];
const NONE = [0, 0, 0]; // transparent after a restore-to-background: black in RGB

/**
 * A 4×3 GIF written by omggif's GifWriter (not by this package's encoder) with
 * partial frames, a transparent index and disposal methods 2 and 3.
 */
function partialFramesGif(): Uint8Array {
  const buffer = new Uint8Array(1024);
  const gif = new GifWriter(buffer, 4, 3, { palette: [0x000000, 0xff0000, 0x00ff00, 0x0000ff], loop: 0 });
  gif.addFrame(0, 0, 4, 3, Array(12).fill(1), { delay: 5, disposal: 1 });
  // Index 0 is transparent in this frame: the red beneath shows through at (2, 1).
  gif.addFrame(1, 1, 2, 2, [2, 0, 2, 2], { delay: 5, disposal: 2, transparent: 0 });
  gif.addFrame(0, 0, 1, 1, [3], { delay: 5, disposal: 3 });
  gif.addFrame(3, 0, 1, 1, [2], { delay: 5, disposal: 1 });
  return buffer.slice(0, gif.end());
}

function rgbFrame(pixels: number[][]): Uint8Array {
  return Uint8Array.from(pixels.flat());
}

function errorOf(run: () => unknown): VideoDataError {
  try {
    run();
  } catch (e) {
    expect(e).toBeInstanceOf(VideoDataError);
    return e as VideoDataError;
  }
  throw new Error('expected a VideoDataError');
}

describe('GIF decoding and encoding', () => {
  it('composites partial frames with transparency and disposal as browsers show them', () => {
    const video = decodeGif(partialFramesGif());
    expect([video.width, video.height, video.channels, video.frames.length]).toEqual([4, 3, 3, 4]);
    expect(video.delaysMs).toEqual([50, 50, 50, 50]);
    const r = RED;
    expect(video.frames[0]).toEqual(rgbFrame(Array(12).fill(r)));
    expect(video.frames[1]).toEqual(rgbFrame([r, r, r, r, r, GREEN, r, r, r, GREEN, GREEN, r]));
    // Frame 1's rectangle was restored to the background (transparent) before frame 2 was drawn.
    expect(video.frames[2]).toEqual(rgbFrame([BLUE, r, r, r, r, NONE, NONE, r, r, NONE, NONE, r]));
    // Frame 2 restores what was there before it: (0, 0) is red again.
    expect(video.frames[3]).toEqual(rgbFrame([r, r, r, GREEN, r, NONE, NONE, r, r, NONE, NONE, r]));
    expect(decodeGif(partialFramesGif(), { channels: 1 }).frames[0]).toEqual(new Uint8Array(12).fill(76)); // BT.601 luma of red
  });

  it('round-trips gray video losslessly and RGB video within quantization', () => {
    const gray: Video = {
      width: 5,
      height: 4,
      channels: 1,
      frames: [0, 1, 2].map((t) => Uint8Array.from({ length: 20 }, (_, i) => (i * 13 + t * 71) % 256)),
    };
    const back = decodeGif(encodeGif(gray, { delayMs: 40 }), { channels: 1 });
    expect(back.frames).toEqual(gray.frames);
    expect(back.delaysMs).toEqual([40, 40, 40]);
    const rgb: Video = { width: 2, height: 2, channels: 3, frames: [rgbFrame([RED, GREEN, BLUE, [200, 120, 40]])] };
    const decoded = decodeGif(encodeGif(rgb)).frames[0] as Uint8Array;
    for (let i = 0; i < 12; i++)
      expect(Math.abs((decoded[i] as number) - (rgb.frames[0]?.[i] as number))).toBeLessThanOrEqual(8);
    expect(() => encodeGif({ ...gray, frames: [] })).toThrow(ConfigError);
  });

  it('writes and reads GIF files, naming the path in errors', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gif-'));
    const path = join(dir, 'clip.gif');
    writeGif(path, decodeGif(partialFramesGif()));
    expect(readGif(path).frames.length).toBe(4);
    expect(errorOf(() => readGif(join(dir, 'missing.gif'))).reason).toBe('not-found');
    expect(errorOf(() => readGif(dir)).message).toMatch(/is a directory, not a regular file/);
    writeFileSync(join(dir, 'text.gif'), 'hello');
    const notGif = errorOf(() => readGif(join(dir, 'text.gif')));
    expect([notGif.reason, notGif.source]).toEqual(['corrupt', join(dir, 'text.gif')]);
    expect(notGif.message).toMatch(/not a GIF/);
  });

  it('refuses huge, too long, too short and damaged GIFs with typed errors', () => {
    const good = partialFramesGif();
    const tooMany = errorOf(() => decodeGif(good, { maxFrames: 3, source: 'a.gif' }));
    expect([tooMany.reason, tooMany.message]).toEqual(['too-many-frames', 'a.gif: 4 frames, more than maxFrames 3']);
    expect(errorOf(() => decodeGif(good, { maxPixels: 47 })).reason).toBe('too-many-pixels');
    expect(errorOf(() => decodeGif(good, { minFrames: 5 })).reason).toBe('too-few-frames');
    // A logical screen of 65535×65535 (4 frames: 17 G pixels) is refused before anything is allocated.
    const huge = good.slice();
    huge.set([0xff, 0xff, 0xff, 0xff], 6);
    expect(errorOf(() => decodeGif(huge, { source: 'huge.gif' })).message).toMatch(
      /^huge\.gif: 4 frames of 65535×65535 = 17179344900 pixels, more than maxPixels 33554432$/,
    );
    // A screen narrower than its first frame: the frame is to blame, by index.
    const narrow = good.slice();
    narrow[6] = 2;
    const outside = errorOf(() => decodeGif(narrow, { source: 'n.gif' }));
    expect([outside.reason, outside.frame]).toEqual(['corrupt-frame', 0]);
    expect(outside.message).toMatch(
      /^n\.gif \(frame 0\): frame rectangle 4×3 at \(0, 0\) lies outside the 2×3 screen$/,
    );
    for (let cut = 6; cut < good.length; cut += 7) {
      try {
        decodeGif(good.subarray(0, cut));
      } catch (e) {
        expect(e).toBeInstanceOf(VideoDataError);
      }
    }
    const real = new Uint8Array(readFileSync(join(import.meta.dirname, 'test-fixtures', 'numpy-uint8-2x3x4.npy')));
    expect(errorOf(() => decodeGif(real)).reason).toBe('corrupt');
  });
});
