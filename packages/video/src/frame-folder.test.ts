import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodePng } from '@seqgen/vision';
import { describe, expect, it } from 'vitest';
import { listFrameFiles, readFrameFolder, writeFrameFolder } from './frame-folder.js';
import { naturalCompare } from './natural-compare.js';
import { VideoDataError } from './video-data-error.js';

const grayPng = (value: number, width = 3, height = 2) =>
  encodePng({ width, height, channels: 1, data: new Uint8Array(width * height).fill(value) });

function folderOf(files: Record<string, Uint8Array | string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'frames-'));
  for (const [name, bytes] of Object.entries(files)) writeFileSync(join(dir, name), bytes);
  return dir;
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

describe('PNG frame folders', () => {
  it('orders frames naturally: frame2 before frame10', () => {
    expect(['frame10.png', 'frame2.png', 'frame1.png', 'frame02.png'].sort(naturalCompare)).toEqual([
      'frame1.png',
      'frame2.png',
      'frame02.png',
      'frame10.png',
    ]);
    const files: Record<string, Uint8Array | string> = { 'notes.txt': 'not a frame' };
    for (let i = 1; i <= 12; i++) files[`frame${i}.png`] = grayPng(i * 10);
    const dir = folderOf(files);
    expect(listFrameFiles(dir).slice(0, 3)).toEqual(['frame1.png', 'frame2.png', 'frame3.png']);
    const video = readFrameFolder(dir);
    expect([video.width, video.height, video.channels]).toEqual([3, 2, 1]);
    expect(video.frames.map((f) => f[0])).toEqual([10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 120]);
    expect(readFrameFolder(dir, { channels: 3 }).frames[1]?.slice(0, 3)).toEqual(Uint8Array.from([20, 20, 20]));
  });

  it('writes frames that read back the same, and never into a folder of frames', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'out-')), 'clip');
    const video = {
      width: 2,
      height: 2,
      channels: 1 as const,
      frames: [1, 2, 3].map((v) => new Uint8Array(4).fill(v)),
    };
    expect(writeFrameFolder(dir, video).map((p) => p.slice(dir.length + 1))).toEqual([
      'frame00001.png',
      'frame00002.png',
      'frame00003.png',
    ]);
    expect(readFrameFolder(dir).frames).toEqual(video.frames);
    expect(errorOf(() => writeFrameFolder(dir, video)).reason).toBe('exists');
  });

  it('names the file and the frame index of a bad frame', () => {
    const mismatch = folderOf({ 'f1.png': grayPng(1), 'f2.png': grayPng(2), 'f3.png': grayPng(3, 4, 2) });
    const size = errorOf(() => readFrameFolder(mismatch));
    expect([size.reason, size.frame, size.source]).toEqual(['size-mismatch', 2, join(mismatch, 'f3.png')]);
    expect(size.message).toBe(`${join(mismatch, 'f3.png')} (frame 2): 4×2, but frame 0 (f1.png) is 3×2`);
    const corrupt = folderOf({ 'f1.png': grayPng(1), 'f2.png': grayPng(2).subarray(0, 30) });
    const bad = errorOf(() => readFrameFolder(corrupt));
    expect([bad.reason, bad.frame, bad.source]).toEqual(['corrupt-frame', 1, join(corrupt, 'f2.png')]);
  });

  it('enforces frame counts and limits', () => {
    const dir = folderOf({ 'a1.png': grayPng(1), 'a2.png': grayPng(2), 'a3.png': grayPng(3) });
    expect(errorOf(() => readFrameFolder(dir, { minFrames: 4 })).message).toBe(`${dir}: 3 frames, fewer than 4`);
    expect(errorOf(() => readFrameFolder(dir, { maxFrames: 2 })).reason).toBe('too-many-frames');
    expect(errorOf(() => readFrameFolder(dir, { maxPixels: 12 })).reason).toBe('too-many-pixels');
    expect(errorOf(() => readFrameFolder(join(dir, 'none'))).reason).toBe('not-found');
    expect(errorOf(() => readFrameFolder(join(dir, 'a1.png'))).reason).toBe('not-a-file');
  });
});
