import { ConfigError, initBackend, ShapeError } from '@seqgen/core';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateFrames, type StreamedFrame, streamFrames } from './continuous-decode.js';
import { CounterFrameModel } from './test-fixtures/counter-frame-model.js';

const values = (frames: readonly Float32Array[]) => frames.map((f) => [...f]);
const counting = (from: number, n: number) => Array.from({ length: n }, (_, i) => [from + i + 1, 2 * (from + i + 1)]);

describe('generateFrames', () => {
  let model: CounterFrameModel;
  beforeAll(async () => {
    await initBackend();
    model = new CounterFrameModel();
  });
  afterAll(() => model.dispose());

  it('feeds each frame back, one step per frame, and stops where the stop logit says', async () => {
    const limits = tf.tensor2d([[3], [5]]);
    const calls = model.stepCalls;
    const [a, b] = await generateFrames(model, { condition: limits, maxLength: 10 });
    // From the zero go frame: [1, 2], [2, 4], ... (each input is the previous output); row 0 stops at 3, row 1 at 5.
    expect(values(a!.frames)).toEqual(counting(0, 3));
    expect(a!.finishReason).toBe('stop');
    expect(values(b!.frames)).toEqual(counting(0, 5));
    expect(b!.finishReason).toBe('stop');
    expect(model.stepCalls - calls).toBe(5);
    expect(model.initRows.at(-1)).toBe(2);
    expect(limits.isDisposed).toBe(false);
    limits.dispose();
  });

  it('respects maxLength, minLength and stopThreshold', async () => {
    const limits = tf.tensor2d([[3]]);
    const [short] = await generateFrames(model, { condition: limits, maxLength: 2 });
    expect(values(short!.frames)).toEqual(counting(0, 2));
    expect(short!.finishReason).toBe('length');
    const [late] = await generateFrames(model, { condition: limits, maxLength: 10, minLength: 6 });
    expect(values(late!.frames)).toEqual(counting(0, 6));
    expect(late!.finishReason).toBe('stop');
    // At frame 3 the stop probability is σ(5) ≈ 0.993; a threshold above it waits for frame 4 (σ(15)).
    const [strict] = await generateFrames(model, { condition: limits, maxLength: 10, stopThreshold: 0.999 });
    expect(strict!.frames).toHaveLength(4);
    const [unconditioned] = await generateFrames(model, { maxLength: 7 });
    expect(unconditioned!.frames).toHaveLength(7);
    expect(unconditioned!.finishReason).toBe('length');
    const silent = new CounterFrameModel({ stopLogit: false });
    const [noStop] = await generateFrames(silent, { condition: limits, maxLength: 4 });
    expect(noStop!.finishReason).toBe('length');
    silent.dispose();
    limits.dispose();
  });

  it('primes each row with its own frames, of different lengths, before generating', async () => {
    const calls = model.stepCalls;
    const results = await generateFrames(model, {
      primer: [
        [[10, 20]],
        [
          [0, 0],
          [1, 1],
          [20, 40],
        ],
        [],
      ],
      maxLength: 3,
    });
    expect(values(results[0]!.frames)).toEqual(counting(10, 3));
    expect(values(results[1]!.frames)).toEqual(counting(20, 3));
    expect(values(results[2]!.frames)).toEqual(counting(0, 3));
    // The longest primer (3 frames) takes 2 steps before its first output, then 3 outputs.
    expect(model.stepCalls - calls).toBe(5);
  });

  it('noise samples around the prediction, fed back, reproducible from its seed', async () => {
    const run = (seed: number) => generateFrames(model, { batchSize: 2, maxLength: 200, noise: { std: 0.5, seed } });
    const [a, b, c] = [await run(1), await run(1), await run(2)];
    expect(values(a[0]!.frames)).toEqual(values(b[0]!.frames));
    expect(values(a[1]!.frames)).toEqual(values(b[1]!.frames));
    expect(values(a[0]!.frames)).not.toEqual(values(c[0]!.frames));
    expect(values(a[0]!.frames)).not.toEqual(values(a[1]!.frames));
    // Each frame is the model's prediction from the previous (noisy) frame plus N(0, 0.5²).
    const residuals: number[] = [];
    for (const row of a) {
      let prev = [0, 0];
      for (const f of row.frames) {
        residuals.push(f[0]! - (prev[0]! + 1), f[1]! - (prev[1]! + 2));
        prev = [...f];
      }
    }
    const mean = residuals.reduce((s, r) => s + r, 0) / residuals.length;
    const std = Math.sqrt(residuals.reduce((s, r) => s + (r - mean) ** 2, 0) / residuals.length);
    expect(Math.abs(mean)).toBeLessThan(0.06);
    expect(std).toBeGreaterThan(0.45);
    expect(std).toBeLessThan(0.55);
  });

  it('streamFrames yields the frames generateFrames returns, and stops when the consumer leaves', async () => {
    const limits = tf.tensor2d([[2], [4]]);
    const expected = await generateFrames(model, { condition: limits, maxLength: 10, noise: { std: 0.01, seed: 3 } });
    const seen: StreamedFrame[] = [];
    for await (const item of streamFrames(model, { condition: limits, maxLength: 10, noise: { std: 0.01, seed: 3 } })) {
      seen.push(item);
    }
    for (const r of [0, 1]) {
      const mine = seen.filter((s) => s.row === r);
      expect(values(mine.map((s) => s.frame))).toEqual(values(expected[r]!.frames));
      expect(mine.map((s) => s.index)).toEqual(mine.map((_, i) => i));
      expect(mine.map((s) => s.done)).toEqual(mine.map((_, i) => i === mine.length - 1));
    }
    const before = tf.memory().numTensors;
    let n = 0;
    for await (const _ of streamFrames(model, { batchSize: 1, maxLength: 1000 })) if (++n === 5) break;
    expect(tf.memory().numTensors).toBe(before);
    limits.dispose();
  });

  it('leaks no tensors across calls, however they end', async () => {
    const limits = tf.tensor2d([[4], [9]]);
    const bad = new CounterFrameModel({ badFrame: true });
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) {
      await generateFrames(model, { condition: limits, maxLength: 20, noise: { std: 0.1, seed: i } });
      await generateFrames(model, {
        primer: [
          [[1, 1]],
          [
            [2, 2],
            [3, 3],
          ],
        ],
        maxLength: 5,
      });
      await expect(generateFrames(bad, { maxLength: 3 })).rejects.toThrow(ShapeError);
      const aborted = new AbortController();
      aborted.abort();
      await expect(generateFrames(model, { maxLength: 3, signal: aborted.signal })).rejects.toThrow(/abort/i);
      expect(tf.memory().numTensors).toBe(before);
    }
    bad.dispose();
    limits.dispose();
  });

  it('yields to the event loop, so an abort from a timer lands before the next step', async () => {
    const controller = new AbortController();
    const calls = model.stepCalls;
    let stepsAtAbort = -1;
    setTimeout(() => {
      stepsAtAbort = model.stepCalls - calls;
      controller.abort();
    }, 30);
    const maxLength = 200_000;
    await expect(generateFrames(model, { maxLength, signal: controller.signal })).rejects.toThrow(/abort/i);
    // The timer ran mid-generation (without the yield, all 200,000 steps would run first and it would resolve)…
    expect(stepsAtAbort).toBeGreaterThan(0);
    expect(stepsAtAbort).toBeLessThan(maxLength);
    // …and no model step ran after it.
    expect(model.stepCalls - calls).toBe(stepsAtAbort);
  });

  it('refuses bad options (ConfigError) and bad frames or conditions (ShapeError), naming them', async () => {
    const config = (options: unknown, field: string) =>
      expect(() => streamFrames(model, options as never)).toThrow(
        expect.objectContaining({ name: 'ConfigError', message: expect.stringContaining(field) }),
      );
    config({}, 'maxLength');
    config({ maxLength: 0 }, 'maxLength');
    config({ maxLength: 2.5 }, 'maxLength');
    config({ maxLength: 3, minLength: 4 }, 'minLength');
    config({ maxLength: 3, stopThreshold: 1 }, 'stopThreshold');
    config({ maxLength: 3, noise: { std: -1 } }, 'noise.std');
    config({ maxLength: 3, batchSize: 0 }, 'batchSize');
    config({ maxLength: 3, temperature: 0.5 }, 'temperature');
    expect(() => streamFrames(model, { maxLength: 3 })).not.toThrow(ConfigError);

    const shape = (options: unknown, name: string) =>
      expect(() => streamFrames(model, options as never)).toThrow(
        expect.objectContaining({ name: 'ShapeError', message: expect.stringContaining(name) }),
      );
    const two = tf.tensor2d([[1], [2]]);
    shape({ maxLength: 3, condition: two, batchSize: 3 }, 'condition');
    shape({ maxLength: 3, batchSize: 2, primer: [[[1, 2]]] }, 'primer');
    shape({ maxLength: 3, primer: [[[1, 2, 3]]] }, 'primer[0][0]');
    shape({ maxLength: 3, primer: [[[1, Number.NaN]]] }, 'primer[0][0]');
    await expect(generateFrames(new CounterFrameModel({ badFrame: true }), { maxLength: 3 })).rejects.toThrow(
      expect.objectContaining({ name: 'ShapeError', message: expect.stringContaining('frame') }),
    );
    await expect(generateFrames(new CounterFrameModel({ badStop: true }), { maxLength: 3 })).rejects.toThrow(
      expect.objectContaining({ name: 'ShapeError', message: expect.stringContaining('stopLogit') }),
    );
    two.dispose();
  });
});
