import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CheckpointError, ConfigError, initBackend, Rng, ShapeError } from '@seqgen/core';
import { Trainer } from '@seqgen/trainer';
import { ConvEncoder } from '@seqgen/vision';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modelFromCheckpoint, modelFromConfig } from '../model-registry.js';
import { attentionPenalty } from './attention-penalty.js';
import { CaptionBatchSource, type CaptionedImages, captionBatches } from './caption-batches.js';
import { captionImages } from './caption-images.js';
import { Captioner } from './captioner.js';

// The quadrant task: an 8×8 image, black but for one bright 4×4 square in one quadrant, captioned
// "top left", "bottom right"… (ids 4–7 after pad, unk, BOS, EOS). Two references per image: the
// words in either order, so decoding must look at the image to pick the first word.
const WORDS = ['<pad>', '<unk>', '<bos>', '<eos>', 'top', 'bottom', 'left', 'right'];
const dirs: string[] = [];

function quadrants(count: number, seed: number): CaptionedImages {
  const rng = new Rng(seed);
  const pixels = new Uint8Array(count * 64);
  const captions: number[][][] = [];
  for (let i = 0; i < count; i++) {
    const q = rng.int(4);
    const [row, col] = [q >> 1, q & 1];
    for (let y = 0; y < 4; y++) for (let x = 0; x < 4; x++) pixels[i * 64 + (row * 4 + y) * 8 + col * 4 + x] = 255;
    captions.push([[4 + row, 6 + col]]);
  }
  return { count, imageSize: 64, pixels, captions };
}

function small(options: { attention?: 'bahdanau' | 'none'; seed?: number } = {}): Captioner {
  return Captioner.create({
    vocabSize: WORDS.length,
    encoder: { inputHeight: 8, inputWidth: 8, filters: [4, 8] },
    embeddingSize: 8,
    hiddenSize: 16,
    ...options,
  });
}

beforeAll(async () => {
  await initBackend();
});

afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('Captioner', () => {
  it('learns to say where the square is, and beam search with attention reads it back', async () => {
    const model = small({ seed: 1 });
    const train = quadrants(256, 1);
    const trainer = new Trainer(model, { optimizer: { type: 'adam', learningRate: 0.03 }, maxSteps: 60, seed: 1 });
    const before = model.evaluate(captionBatches(quadrants(64, 2), { batchSize: 64 })).loss;
    await trainer.fit(new CaptionBatchSource(train, { batchSize: 16, seed: 1 }));
    trainer.dispose();
    const test = quadrants(16, 3);
    const after = model.evaluate(captionBatches(test, { batchSize: 16 })).loss;
    expect(before).toBeGreaterThan(1.2);
    expect(after).toBeLessThan(0.35);
    const images = model.imagesTensor(test.pixels, test.count);
    const captions = await captionImages(model, images, { numBeams: 3, returnAttention: true, maxLength: 5 });
    images.dispose();
    let right = 0;
    captions.forEach((c, i) => {
      const best = c[0];
      if (best && best.tokens.join() === (test.captions[i]?.[0] ?? []).join()) right++;
      // One row of weights per word, over the 4×4 feature map, each a distribution.
      expect(best?.attention?.length).toBe(best?.tokens.length);
      for (const row of best?.attention ?? []) {
        expect(row.length).toBe(16);
        expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
      }
    });
    expect(right).toBeGreaterThanOrEqual(14);
    model.dispose();
  });

  it('adds λ times the doubly stochastic attention penalty while training', () => {
    // Uniform attention over S = 4 positions for T = 2 steps: each position receives 0.5, so (1 − 0.5)² = 0.25.
    const weights = tf.fill([3, 2, 4], 0.25) as tf.Tensor3D;
    const mask = tf.ones([3, 2]) as tf.Tensor2D;
    expect(attentionPenalty(weights, mask).dataSync()[0]).toBeCloseTo(0.25, 6);
    // A padded step gives nothing: 0.25 received, (0.75)².
    const padded = tf.tensor2d([[1, 0]]);
    expect(attentionPenalty(tf.fill([1, 2, 4], 0.25) as tf.Tensor3D, padded).dataSync()[0]).toBeCloseTo(0.5625, 6);
    const model = small();
    const [batch] = captionBatches(quadrants(4, 5), { batchSize: 4 });
    const plain = model.loss(batch as never);
    const trained = model.loss(batch as never, undefined, { training: true });
    // λ = 1 (the default) and no dropout: the difference is the penalty itself, in (0, 1].
    const gap = (trained.loss.dataSync()[0] as number) - (plain.loss.dataSync()[0] as number);
    expect(gap).toBeGreaterThan(0);
    expect(gap).toBeLessThanOrEqual(1);
    tf.dispose([weights, mask, padded, plain.loss, trained.loss]);
    model.dispose();
  });

  it('leaves no tensor behind: loss, evaluate, image tensors and beam search with attention', async () => {
    const model = small({ seed: 4 });
    const data = quadrants(6, 7);
    const [batch] = captionBatches(data, { batchSize: 6 });
    const before = tf.memory().numTensors;
    const result = model.loss(batch as never, undefined, { training: true });
    expect(Number.isFinite(result.loss.dataSync()[0])).toBe(true);
    result.loss.dispose();
    expect(model.evaluate(captionBatches(data, { batchSize: 3 })).loss).toBeGreaterThan(0);
    const images = model.imagesTensor(data.pixels, data.count);
    const captions = await captionImages(model, images, { numBeams: 2, returnAttention: true, maxLength: 4 });
    images.dispose();
    expect(captions).toHaveLength(6);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  it('takes a pretrained encoder, saves and loads through the registry', async () => {
    const model = small({ seed: 2 });
    const pretrained = new ConvEncoder({ inputHeight: 28, inputWidth: 28, filters: [4, 8] }, 9);
    model.loadEncoderWeights(pretrained);
    expect(Array.from(model.variables['encoder/conv1/kernel']?.dataSync() ?? [])).toEqual(
      Array.from(pretrained.variables['encoder/conv1/kernel']?.dataSync() ?? []),
    );
    const wrong = new ConvEncoder({ inputHeight: 8, inputWidth: 8, filters: [5, 8] });
    expect(() => model.loadEncoderWeights(wrong)).toThrow(ShapeError);
    pretrained.dispose();
    wrong.dispose();
    const dir = mkdtempSync(join(tmpdir(), 'captioner-'));
    dirs.push(dir);
    await model.save(dir, { metadata: { task: 'quadrants' } });
    const loaded = await modelFromCheckpoint(dir);
    expect(loaded.model).toBeInstanceOf(Captioner);
    expect(loaded.metadata).toEqual({ task: 'quadrants' });
    const [batch] = captionBatches(quadrants(4, 6), { batchSize: 4 });
    const a = model.loss(batch as never);
    const b = (loaded.model as Captioner).loss(batch as never);
    expect(b.loss.dataSync()[0]).toBeCloseTo(a.loss.dataSync()[0] as number, 5);
    tf.dispose([a.loss, b.loss]);
    loaded.model.dispose();
    // A config whose sizes disagree with the saved weights is refused before anything is built.
    const other = small({ attention: 'none' });
    const otherDir = mkdtempSync(join(tmpdir(), 'captioner-'));
    dirs.push(otherDir);
    await other.save(otherDir);
    other.dispose();
    expect(modelFromConfig(model.getConfig())).toBeInstanceOf(Captioner);
    model.dispose();
    await expect(Captioner.load(join(otherDir, 'nope'))).rejects.toThrow(CheckpointError);
  });

  it('names bad configs, images and batches', async () => {
    expect(() => small({ attention: 'luong-dot' as never })).toThrow(ConfigError);
    expect(() =>
      Captioner.create({ vocabSize: 8, encoder: { inputHeight: 2, inputWidth: 2, filters: [4, 8, 8] } }),
    ).toThrow(/encoder/);
    expect(() => Captioner.create({ vocabSize: 8, encoder: { inputHeight: 8, inputWidth: 8 }, bosId: 9 })).toThrow(
      /bosId/,
    );
    expect(() =>
      Captioner.create({ vocabSize: 8, encoder: { inputHeight: 8, inputWidth: 8 }, hidden: 3 } as never),
    ).toThrow(/hidden/);
    const model = small({ attention: 'none' });
    expect(() => model.imagesTensor(new Uint8Array(10), 1)).toThrow(ShapeError);
    const [batch] = captionBatches(quadrants(2, 7), { batchSize: 2 });
    const bad = { ...batch, targetInputs: Int32Array.from(batch?.targetInputs ?? []).fill(99) };
    expect(() => model.loss(bad as never)).toThrow(/targetInputs/);
    const images = model.imagesTensor(quadrants(1, 8).pixels, 1);
    await expect(captionImages(model, images, { returnAttention: true })).rejects.toThrow(ConfigError);
    // Without attention it still captions, from the initial state alone.
    const [captions] = await captionImages(model, images, { numBeams: 2, maxLength: 3 });
    expect(captions?.[0]?.tokens.length).toBeLessThanOrEqual(3);
    images.dispose();
    expect(
      () =>
        new CaptionBatchSource({ count: 1, imageSize: 4, pixels: new Uint8Array(4), captions: [[]] }, { batchSize: 1 }),
    ).toThrow(ShapeError);
    model.dispose();
  });
});
