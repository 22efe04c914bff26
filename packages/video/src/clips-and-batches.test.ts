import { initBackend, ShapeError } from '@seqgen/core';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { clipStarts, randomClips, slidingClips } from './clips.js';
import { batchToTensor, clipsToBatch, tensorToVideos } from './frame-batch.js';
import { resizeVideo } from './resize-video.js';
import type { Video } from './video.js';
import { VideoDataError } from './video-data-error.js';

/** A 10-frame 4×3 gray video whose frame t is filled with 10·t. */
const ramp: Video = {
  width: 4,
  height: 3,
  channels: 1,
  frames: Array.from({ length: 10 }, (_, t) => new Uint8Array(12).fill(10 * t)),
};

describe('clips and batches', () => {
  beforeAll(async () => {
    await initBackend();
  });

  it('cuts fixed-length clips with a stride, and seeded random clips', () => {
    expect(clipStarts(10, { length: 4, stride: 3 })).toEqual([0, 3, 6]);
    expect(slidingClips(ramp, { length: 4 }).map((c) => c.frames.map((f) => f[0]))).toEqual([
      [0, 10, 20, 30],
      [40, 50, 60, 70],
    ]);
    const a = randomClips(ramp, { length: 3, count: 5, seed: 4 }).map((c) => c.frames[0]?.[0]);
    expect(randomClips(ramp, { length: 3, count: 5, seed: 4 }).map((c) => c.frames[0]?.[0])).toEqual(a);
    expect(a.every((v) => v !== undefined && v <= 70)).toBe(true);
    const short = (() => {
      try {
        slidingClips(ramp, { length: 11 }, 'walk.gif');
      } catch (e) {
        return e as VideoDataError;
      }
    })();
    expect(short).toBeInstanceOf(VideoDataError);
    expect(short?.message).toBe('walk.gif: 10 frames, fewer than a clip of 11');
  });

  it('stacks clips into [B, T, H, W, C] floats and back to 8-bit videos', () => {
    const clips = slidingClips(ramp, { length: 5 });
    const batch = clipsToBatch(clips);
    expect(batch.shape).toEqual([2, 5, 3, 4, 1]);
    expect(batch.data[12 * 6]).toBeCloseTo(60 / 255, 6); // clip 1, frame 1
    const tensor = batchToTensor(batch);
    expect(tensor.shape).toEqual([2, 5, 3, 4, 1]);
    const videos = tensorToVideos(tensor);
    expect(videos[1]?.frames).toEqual(clips[1]?.frames);
    tensor.dispose();
    expect(() => clipsToBatch([clips[0] as Video, resizeVideo(clips[1] as Video, 2, 2)])).toThrow(ShapeError);
    expect(() => tensorToVideos(tf.zeros([2, 2]))).toThrow(ShapeError);
  });

  it('resizes every frame', () => {
    const small = resizeVideo(ramp, 2, 1);
    expect([small.width, small.height, small.frames.length]).toEqual([2, 1, 10]);
    expect(small.frames[3]).toEqual(Uint8Array.from([30, 30]));
  });
});
