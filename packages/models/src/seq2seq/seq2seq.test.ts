import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend, Rng } from '@seqgen/core';
import { maxAbsDiff } from '@seqgen/test-utils';
import { CharTokenizer } from '@seqgen/tokenizers';
import { Trainer } from '@seqgen/trainer';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modelFromCheckpoint } from '../model-registry.js';
import { disposeCondition, Seq2Seq } from './seq2seq.js';
import { Seq2SeqBatchSource, type Seq2SeqPair, seq2seqBatches } from './seq2seq-batches.js';
import { translateBatch } from './translate-batch.js';

// The reversal task: a random sequence of 5–8 symbols in, the same symbols
// reversed out. Vocabulary 12 on both sides: 0 pad, 1 BOS, 2 EOS, 3–11 symbols
// (chance is 1/9 per token). A model that solves it must attend anti-diagonally.

const V = 12;
const ids = { padId: 0, bosId: 1, eosId: 2 };
const dirs: string[] = [];

function reversalPairs(seed: number, count: number): Seq2SeqPair[] {
  const rng = new Rng(seed);
  return Array.from({ length: count }, () => {
    const source = Array.from({ length: 5 + rng.int(4) }, () => 3 + rng.int(V - 3));
    return { source, target: [...source].reverse() };
  });
}

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'seq2seq-'));
  dirs.push(dir);
  return dir;
}

/** Share of target tokens right, position by position (a missing or extra token counts as wrong). */
function tokenAccuracy(hyps: number[][], refs: number[][]): number {
  let right = 0;
  let total = 0;
  hyps.forEach((h, i) => {
    const r = refs[i] as number[];
    total += Math.max(h.length, r.length);
    r.forEach((t, k) => {
      if (h[k] === t) right++;
    });
  });
  return right / total;
}

beforeAll(async () => {
  await initBackend();
});

afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('Seq2Seq', () => {
  it('masks padding: a padded batch encodes each source as it encodes alone', async () => {
    const model = Seq2Seq.create({
      sourceVocabSize: V,
      targetVocabSize: V,
      embeddingSize: 6,
      hiddenSize: 5,
      encoderLayers: 2,
      decoderLayers: 3,
      cell: 'lstm',
      bidirectional: true,
      attention: 'luong-general',
      seed: 2,
    });
    const sources = [
      [3, 4, 5, 6, 7, 8],
      [9, 10],
      [11, 3, 4],
    ];
    const batch = model.encode(sources);
    expect(batch.memory.shape).toEqual([3, 6, 10]);
    expect(batch.initialStates).toHaveLength(6); // 3 decoder layers × [h, c]
    const target = tf.tensor2d([[1, 5, 6, 7]], undefined, 'int32');
    const batchLogits = model.decoder.forward(
      tf.tensor2d([1, 5, 6, 7, 1, 5, 6, 7, 1, 5, 6, 7], [3, 4], 'int32'),
      batch,
    ).logits;
    for (const [b, source] of sources.entries()) {
      const alone = model.encode([source]);
      const n = source.length;
      const row = (t: tf.Tensor) => tf.slice(t, [b], [1]);
      expect(await maxAbsDiff(tf.slice(row(batch.memory), [0, 0, 0], [1, n, 10]), alone.memory)).toBeLessThan(1e-5);
      for (const [k, s] of (alone.initialStates ?? []).entries()) {
        expect(await maxAbsDiff(row(batch.initialStates?.[k] as tf.Tensor), s), `state ${k}`).toBeLessThan(1e-5);
      }
      const logits = model.decoder.forward(target, alone).logits;
      expect(await maxAbsDiff(row(batchLogits), logits)).toBeLessThan(1e-5);
      disposeCondition(alone);
    }
    disposeCondition(batch);
    model.dispose();
  });

  let trained: Seq2Seq;
  const test = reversalPairs(99, 24);

  it('learns to reverse sequences through the Trainer, and attends anti-diagonally', async () => {
    trained = Seq2Seq.create({
      sourceVocabSize: V,
      targetVocabSize: V,
      embeddingSize: 16,
      hiddenSize: 32,
      attention: 'bahdanau',
      inputFeeding: false,
      ...ids,
      seed: 1,
    });
    const batches = seq2seqBatches(reversalPairs(1, 512), { batchSize: 32, shuffle: true, seed: 1, ...ids });
    const trainer = new Trainer(trained, {
      optimizer: { type: 'adam', learningRate: 0.02 },
      maxSteps: 100,
      progressBar: false,
    });
    await trainer.fit(new Seq2SeqBatchSource(batches, { shuffle: true, seed: 2 }));
    trainer.dispose();

    const refs = test.map((p) => p.target as number[]);
    const evaluation = trained.evaluate(seq2seqBatches(test, { batchSize: 24, ...ids }));
    expect(evaluation.tokenAccuracy).toBeGreaterThan(0.8);
    expect(evaluation.perplexity).toBeLessThan(2);
    const sources = test.map((p) => p.source as number[]);
    const greedy = await translateBatch(trained, sources, { returnAttention: true });
    const beam = await translateBatch(trained, sources, { numBeams: 4, numReturnSequences: 2 });
    const greedyAcc = tokenAccuracy(
      greedy.map((r) => r.sequences[0]!.tokens),
      refs,
    );
    const beamAcc = tokenAccuracy(
      beam.map((r) => r.sequences[0]!.tokens),
      refs,
    );
    // Chance is 1/9 a token.
    expect(greedyAcc).toBeGreaterThan(0.7);
    expect(beamAcc).toBeGreaterThan(0.7);
    expect(beam[0]!.sequences).toHaveLength(2);
    expect(beam[0]!.sequences[0]!.score).toBeGreaterThanOrEqual(beam[0]!.sequences[1]!.score);

    // Output token t of a reversal reads source position n−1−t: the attention's centre of mass
    // falls as t rises (a strongly negative correlation over all tokens of all sentences).
    const xs: number[] = [];
    const ys: number[] = [];
    greedy.forEach((r, i) => {
      const n = sources[i]!.length;
      const seq = r.sequences[0]!;
      expect(seq.attention).toHaveLength(seq.tokens.length);
      seq.attention!.forEach((row, t) => {
        expect(row).toHaveLength(n);
        expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
        xs.push(t / (n - 1));
        ys.push(row.reduce((a, w, s) => a + w * s, 0) / (n - 1));
      });
    });
    console.log(
      `reversal after 100 steps: token accuracy ${evaluation.tokenAccuracy.toFixed(3)} (teacher-forced), greedy ${greedyAcc.toFixed(3)}, beam-4 ${beamAcc.toFixed(3)}, attention r ${correlation(xs, ys).toFixed(3)}`,
    );
    expect(correlation(xs, ys)).toBeLessThan(-0.8);
  });

  it('saves config, both tokenizers and weights; modelFromCheckpoint gives back the same translator', async () => {
    const dir = tempDir();
    const tokenizer = CharTokenizer.fromText('_^$abcdefghi', { specialTokens: [] });
    expect(tokenizer.vocabSize).toBe(V);
    await trained.save(dir, { preprocessors: { source: tokenizer, target: tokenizer }, metadata: { task: 'reverse' } });
    const loaded = await modelFromCheckpoint(dir);
    expect(loaded.model).toBeInstanceOf(Seq2Seq);
    const model = loaded.model as Seq2Seq;
    expect(model.getConfig()).toEqual(trained.getConfig());
    expect(loaded.preprocessors.source?.toJSON()).toEqual(tokenizer.toJSON());
    expect(loaded.preprocessors.target?.toJSON()).toEqual(tokenizer.toJSON());
    const sources = test.slice(0, 6).map((p) => p.source as number[]);
    const before = await translateBatch(trained, sources, { numBeams: 3 });
    const after = await translateBatch(model, sources, { numBeams: 3 });
    expect(after.map((r) => r.sequences[0]!.tokens)).toEqual(before.map((r) => r.sequences[0]!.tokens));
    const typed = await Seq2Seq.load(dir);
    expect(typed.source?.toJSON()).toEqual(tokenizer.toJSON());
    expect(typed.metadata).toEqual({ task: 'reverse' });
    // A tokenizer of another vocabulary cannot drive the model.
    const small = CharTokenizer.fromText('abc', { specialTokens: [] });
    await expect(trained.save(tempDir(), { preprocessors: { source: small, target: tokenizer } })).rejects.toThrow(
      /has 3 tokens but the model's source expects 12/,
    );
    typed.model.dispose();
    model.dispose();
    trained.dispose();
  });

  it('trains with attention "none", input feeding, scheduled sampling and label smoothing', async () => {
    const batches = seq2seqBatches(reversalPairs(3, 64), { batchSize: 16, ...ids });
    for (const options of [
      { attention: 'none' as const, cell: 'lstm' as const },
      {
        attention: 'luong-dot' as const,
        inputFeeding: true,
        scheduledSampling: 0.3,
        labelSmoothing: 0.1,
        dropout: 0.1,
      },
    ]) {
      const model = Seq2Seq.create({
        sourceVocabSize: V,
        targetVocabSize: V,
        embeddingSize: 8,
        hiddenSize: 16,
        ...options,
        seed: 4,
      });
      const before = model.evaluate(batches).loss;
      const trainer = new Trainer(model, {
        optimizer: { type: 'adam', learningRate: 0.02 },
        maxSteps: 12,
        progressBar: false,
      });
      await trainer.fit(new Seq2SeqBatchSource(batches));
      trainer.dispose();
      const after = model.evaluate(batches).loss;
      expect(after, options.attention).toBeLessThan(before - 0.3);
      model.dispose();
    }
  });

  it('resumes exactly: N steps straight equal N/2, save, restore into a fresh model, N/2', async () => {
    const options = {
      sourceVocabSize: V,
      targetVocabSize: V,
      embeddingSize: 8,
      hiddenSize: 8,
      attention: 'bahdanau' as const,
      dropout: 0.2,
      scheduledSampling: 0.25,
      seed: 6,
    };
    const batches = seq2seqBatches(reversalPairs(5, 48), { batchSize: 8, shuffle: true, seed: 3, ...ids });
    const config = { optimizer: { type: 'adam' as const, learningRate: 0.01 }, progressBar: false, seed: 5 };
    const straight = Seq2Seq.create(options);
    const t1 = new Trainer(straight, { ...config, maxSteps: 6 });
    await t1.fit(new Seq2SeqBatchSource(batches, { shuffle: true, seed: 1 }));
    t1.dispose();

    const dir = tempDir();
    const first = Seq2Seq.create(options);
    const data = new Seq2SeqBatchSource(batches, { shuffle: true, seed: 1 });
    const t2 = new Trainer(first, { ...config, maxSteps: 3 });
    await t2.fit(data);
    await t2.save(dir, data);
    t2.dispose();
    first.dispose();

    const resumed = Seq2Seq.create({ ...options });
    const data2 = new Seq2SeqBatchSource(batches, { shuffle: true, seed: 1 });
    const t3 = new Trainer(resumed, { ...config, maxSteps: 6 });
    await t3.restore(dir, data2);
    await t3.fit(data2);
    t3.dispose();
    for (const [name, v] of Object.entries(straight.variables)) {
      expect(await maxAbsDiff(v, resumed.variables[name] as tf.Variable), name).toBe(0);
    }
    straight.dispose();
    resumed.dispose();
  });
});

function correlation(xs: number[], ys: number[]): number {
  const n = xs.length;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (xs[i]! - mx) * (ys[i]! - my);
    sxx += (xs[i]! - mx) ** 2;
    syy += (ys[i]! - my) ** 2;
  }
  return sxy / Math.sqrt(sxx * syy);
}
