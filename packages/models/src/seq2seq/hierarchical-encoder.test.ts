import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, initBackend, Rng } from '@seqgen/core';
import { checkGradient, maxAbsDiff } from '@seqgen/test-utils';
import { Trainer } from '@seqgen/trainer';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modelFromCheckpoint } from '../model-registry.js';
import { disposeCondition, Seq2Seq } from './seq2seq.js';
import { Seq2SeqBatchSource, type Seq2SeqPair, seq2seqBatches } from './seq2seq-batches.js';
import { translateBatch } from './translate-batch.js';
import { turnLayout } from './turn-layout.js';

// Two-turn sources: turn 1, the separator, turn 2. Vocabulary 13: 0 pad, 1 BOS, 2 EOS, 3 the
// separator, 4–12 symbols.
const V = 13;
const SEP = 3;
const ids = { padId: 0, bosId: 1, eosId: 2 };
const dirs: string[] = [];

function model(options: { cell?: 'gru' | 'lstm'; bidirectional?: boolean; seed?: number } = {}): Seq2Seq {
  return Seq2Seq.create({
    sourceVocabSize: V,
    targetVocabSize: V,
    embeddingSize: 6,
    hiddenSize: 5,
    encoderLayers: 2,
    decoderLayers: 2,
    cell: options.cell ?? 'gru',
    bidirectional: options.bidirectional ?? true,
    encoderType: 'hierarchical',
    turnSeparatorId: SEP,
    seed: options.seed ?? 2,
    ...ids,
  });
}

/** Every turn's tokens reversed, last turn first: the whole source reversed, separators left out. */
function twoTurnPairs(seed: number, count: number): Seq2SeqPair[] {
  const rng = new Rng(seed);
  const turn = () => Array.from({ length: 2 + rng.int(3) }, () => 4 + rng.int(V - 4));
  return Array.from({ length: count }, () => {
    const a = turn();
    const b = turn();
    return { source: [...a, SEP, ...b], target: [...b].reverse().concat([...a].reverse()) };
  });
}

beforeAll(async () => {
  await initBackend();
});

afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('turnLayout', () => {
  it('splits rows into turns after each separator, and maps every source position back', () => {
    // Row 0: [5 6 SEP | 7], row 1: [8 SEP | SEP | 9 10] then padding, S = 6.
    const S = 6;
    const source = [5, 6, SEP, 7, 0, 0, 8, SEP, SEP, 9, 10, 0];
    const layout = turnLayout(source, 2, S, [4, 5], SEP, 0);
    expect(layout.turnCount).toBe(5);
    expect(layout.turnLength).toBe(3);
    expect(layout.turnLengths).toEqual([3, 1, 2, 1, 2]);
    expect(layout.turnsPerRow).toEqual([2, 3]);
    expect(layout.maxTurns).toBe(3);
    expect([...layout.turnIds]).toEqual([5, 6, SEP, 7, 0, 0, 8, SEP, 0, SEP, 0, 0, 9, 10, 0]);
    // Row 0's third slot is empty: index N = 5, the zero row.
    expect([...layout.turnSlots]).toEqual([0, 1, 5, 2, 3, 4]);
    // Turn k's position p is k·L + p; padding reads row N·L = 15.
    expect([...layout.wordIndex]).toEqual([0, 1, 2, 3, 15, 15, 6, 7, 9, 12, 13, 15]);
    // Row b's turn j is b·Tmax + j; padding reads row B·Tmax = 6.
    expect([...layout.contextIndex]).toEqual([0, 0, 0, 1, 6, 6, 3, 3, 4, 5, 5, 6]);
  });
});

describe('Seq2Seq with a hierarchical encoder', () => {
  it('refuses a hierarchical encoder without a separator, and a separator it would not read', () => {
    const base = { type: 'seq2seq' as const, sourceVocabSize: V, targetVocabSize: V, embeddingSize: 4, hiddenSize: 4 };
    expect(() => Seq2Seq.create({ ...base, encoderType: 'hierarchical' })).toThrow(/turnSeparatorId.*required/);
    expect(() => Seq2Seq.create({ ...base, turnSeparatorId: SEP })).toThrow(/only read by encoderType/);
    expect(() => Seq2Seq.create({ ...base, encoderType: 'hierarchical', turnSeparatorId: V })).toThrow(ConfigError);
    expect(() => Seq2Seq.create({ ...base, encoderType: 'tree' as never })).toThrow(/encoderType/);
    const shapes = Seq2Seq.weightShapes({ ...base, encoderType: 'hierarchical', turnSeparatorId: SEP });
    expect(shapes['encoder/turn-rnn/layers.0/kernel']).toEqual([4, 12]);
    // The memory is the utterance state (4) and the turn state (4) side by side.
    expect(shapes['decoder/attention/memoryKernel']).toEqual([8, 4]);
    expect(shapes['bridge/layers.0/h/kernel']).toEqual([4, 4]);
  });

  it('encodes each turn on its own; the turn state carries the conversation; padding changes nothing', async () => {
    for (const cell of ['gru', 'lstm'] as const) {
      const m = model({ cell });
      const first = [4, 5, 6, SEP];
      const second = [7, 8];
      const alone = m.encode([second]);
      const both = m.encode([[...first, ...second]]);
      const otherFirst = m.encode([[9, SEP, ...second]]);
      const batched = m.encode([
        [9, 10, 11, 12, 4, SEP, 5],
        [...first, ...second],
      ]);
      expect(both.memory.shape).toEqual([1, 6, 10 + 5]);
      const utterance = (c: typeof alone, row: number, from: number) => tf.slice(c.memory, [row, from, 0], [1, 2, 10]);
      const turnState = (c: typeof alone, row: number, from: number) => tf.slice(c.memory, [row, from, 10], [1, 2, 5]);
      // The second turn's utterance states are what it gets alone, whatever came before it…
      expect(await maxAbsDiff(utterance(both, 0, 4), utterance(alone, 0, 0))).toBeLessThan(1e-6);
      expect(await maxAbsDiff(utterance(otherFirst, 0, 2), utterance(alone, 0, 0))).toBeLessThan(1e-6);
      // …while its turn-level state depends on the earlier turn.
      expect(await maxAbsDiff(turnState(both, 0, 4), turnState(otherFirst, 0, 2))).toBeGreaterThan(1e-3);
      // In a batch with a longer row (padding at 6), row 1 is encoded as alone, state included.
      expect(await maxAbsDiff(tf.slice(batched.memory, [1, 0, 0], [1, 6, 15]), both.memory)).toBeLessThan(1e-6);
      expect(await tf.slice(batched.memory, [1, 6, 0], [1, 1, 15]).data()).toEqual(new Float32Array(15));
      expect(Array.from(await batched.mask!.data())).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0]);
      for (let k = 0; k < both.initialStates!.length; k++) {
        const row1 = tf.slice(batched.initialStates![k]!, [1, 0], [1, 5]);
        expect(await maxAbsDiff(row1, both.initialStates![k]!)).toBeLessThan(1e-6);
      }
      for (const c of [alone, both, otherFirst, batched]) disposeCondition(c);
      m.dispose();
    }
  });

  it('gradients of the turn encoder, the utterance encoder, the embedding and the bridge match finite differences', async () => {
    const m = model({ cell: 'lstm', seed: 4 });
    const sources = twoTurnPairs(3, 3).map((p) => p.source as number[]);
    const S = Math.max(...sources.map((s) => s.length));
    const rng = new Rng(6);
    const probeMemory = tf.randomNormal([3, S, 15], 0, 1, 'float32', rng.uint32());
    const probeState = tf.randomNormal([3, 5], 0, 1, 'float32', rng.uint32());
    const vars = m.variables;
    const checked = [
      'encoder/turn-rnn/layers.0/kernel',
      'encoder/turn-rnn/layers.0/recurrentKernel',
      'encoder/rnn/layers.1/backward/kernel',
      'encoder/embedding',
      'bridge/layers.1/c/kernel',
    ];
    // Every output of the encoder (memory and the decoder's initial states), each term weighted, un-reduced.
    const f = () =>
      tf.tidy(() => {
        const c = m.encode(sources);
        return tf.concat([
          tf.reshape(tf.mul(c.memory, probeMemory), [-1]),
          ...c.initialStates!.map((h) => tf.reshape(tf.mul(h, probeState), [-1])),
        ]);
      });
    const { grads } = tf.variableGrads(
      () => tf.sum(f()) as tf.Scalar,
      checked.map((name) => vars[name]!),
    );
    for (const name of checked) {
      const variable = vars[name]!;
      const r = await checkGradient(f, variable, grads[variable.name]!, { maxEntries: 12, step: 5e-2 });
      expect(r.ratio, `${name}: ${r.worst}`).toBeLessThanOrEqual(1);
      // Not a vacuous pass: every checked weight moves the encoder's outputs.
      expect((await tf.max(tf.abs(grads[variable.name]!)).data())[0]).toBeGreaterThan(1e-3);
    }
    m.dispose();
  });

  it('learns a two-turn task through the Trainer, and a checkpoint gives back the same replies', async () => {
    const trained = Seq2Seq.create({
      sourceVocabSize: V,
      targetVocabSize: V,
      embeddingSize: 16,
      hiddenSize: 32,
      encoderType: 'hierarchical',
      turnSeparatorId: SEP,
      inputFeeding: false,
      ...ids,
      seed: 1,
    });
    const batches = seq2seqBatches(twoTurnPairs(1, 512), { batchSize: 32, shuffle: true, seed: 1, ...ids });
    const trainer = new Trainer(trained, {
      optimizer: { type: 'adam', learningRate: 0.02 },
      maxSteps: 200,
      progressBar: false,
    });
    await trainer.fit(new Seq2SeqBatchSource(batches, { shuffle: true, seed: 2 }));
    trainer.dispose();
    const test = twoTurnPairs(99, 24);
    const evaluation = trained.evaluate(seq2seqBatches(test, { batchSize: 24, ...ids }));
    console.log(
      `two-turn reversal after 200 steps (hierarchical): token accuracy ${evaluation.tokenAccuracy.toFixed(3)}, perplexity ${evaluation.perplexity.toFixed(3)}`,
    );
    // Chance is 1/9 a token.
    expect(evaluation.tokenAccuracy).toBeGreaterThan(0.8);

    const dir = mkdtempSync(join(tmpdir(), 'hierarchical-'));
    dirs.push(dir);
    await trained.save(dir);
    const loaded = await modelFromCheckpoint(dir);
    const back = loaded.model as Seq2Seq;
    expect(back.config.encoderType).toBe('hierarchical');
    const sources = test.map((p) => p.source as number[]);
    const a = await translateBatch(trained, sources, { numBeams: 3 });
    const b = await translateBatch(back, sources, { numBeams: 3 });
    expect(b.map((r) => r.sequences[0]!.tokens)).toEqual(a.map((r) => r.sequences[0]!.tokens));
    back.dispose();
    trained.dispose();
  });
});
