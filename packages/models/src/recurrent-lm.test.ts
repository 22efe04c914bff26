import { ConfigError, initBackend, Rng, ShapeError } from '@seqgen/core';
import { thrown } from '@seqgen/test-utils';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LMCellType } from './lm-config.js';
import { RecurrentLanguageModel } from './recurrent-lm.js';

beforeAll(async () => {
  await initBackend();
});

const V = 11;

function randomIds(rng: Rng, batch: number, steps: number): tf.Tensor2D {
  return tf.tensor2d(
    Array.from({ length: batch * steps }, () => rng.int(V)),
    [batch, steps],
    'int32',
  );
}

function maxAbsDiff(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0] as number);
}

const shapeError = (fn: () => unknown) => thrown(fn, ShapeError);

describe('RecurrentLanguageModel', () => {
  const models: RecurrentLanguageModel[] = [];
  const make = (options: ConstructorParameters<typeof RecurrentLanguageModel>[0]) => {
    const m = new RecurrentLanguageModel(options);
    models.push(m);
    return m;
  };
  afterAll(() => {
    for (const m of models) m.dispose();
  });

  it('gives logits [B, T, V] and one state tensor per layer and state slot', () => {
    const m = make({ vocabSize: V, embeddingSize: 6, hiddenSize: 9, numLayers: 2, seed: 1 });
    const ids = randomIds(new Rng(1), 3, 5);
    const { logits, state } = m.forward(ids);
    expect(logits.shape).toEqual([3, 5, V]);
    expect(logits.dtype).toBe('float32');
    // LSTM: [h, c] per layer.
    expect(state.map((s) => s.shape)).toEqual([
      [3, 9],
      [3, 9],
      [3, 9],
      [3, 9],
    ]);
    expect(m.stateSizes).toEqual([9, 9, 9, 9]);
    expect(Object.keys(m.variables)).toEqual([
      'embedding',
      'rnn/layers.0/kernel',
      'rnn/layers.0/recurrentKernel',
      'rnn/layers.0/bias',
      'rnn/layers.1/kernel',
      'rnn/layers.1/recurrentKernel',
      'rnn/layers.1/bias',
      'output/kernel',
      'output/bias',
    ]);
    tf.dispose([ids, logits, state]);
  });

  it('is seeded: the same seed gives the same weights, another seed others', () => {
    const a = make({ vocabSize: V, embeddingSize: 4, hiddenSize: 5, seed: 3 });
    const b = make({ vocabSize: V, embeddingSize: 4, hiddenSize: 5, seed: 3 });
    const c = make({ vocabSize: V, embeddingSize: 4, hiddenSize: 5, seed: 4 });
    for (const name of Object.keys(a.variables)) {
      expect(maxAbsDiff(a.variables[name] as tf.Tensor, b.variables[name] as tf.Tensor)).toBe(0);
    }
    expect(maxAbsDiff(a.variables.embedding as tf.Tensor, c.variables.embedding as tf.Tensor)).toBeGreaterThan(0);
  });

  const parityCases: Array<[LMCellType, Record<string, unknown>]> = [
    ['lstm', {}],
    ['gru', {}],
    ['rnn', {}],
    ['lstm', { projSize: 5 }],
  ];
  it.each(parityCases)('%s %o: teacher-forced logits equal step-by-step logits', (cell, extra) => {
    const m = make({ vocabSize: V, embeddingSize: 6, hiddenSize: 8, numLayers: 2, cell, seed: 7, ...extra });
    const [B, T] = [2, 7];
    const ids = randomIds(new Rng(9), B, T);
    const { logits, state: finalState } = m.forward(ids);
    let state = m.initialState(B);
    const columns = tf.unstack(ids, 1) as tf.Tensor1D[];
    columns.forEach((tokens, t) => {
      const out = m.step(tokens, state);
      const expected = tf.squeeze(tf.slice(logits, [0, t, 0], [B, 1, V]), [1]);
      expect(maxAbsDiff(out.logits, expected)).toBeLessThan(1e-5);
      tf.dispose([state, tokens, expected, out.logits]);
      state = out.state;
    });
    state.forEach((s, k) => {
      expect(maxAbsDiff(s, finalState[k] as tf.Tensor)).toBeLessThan(1e-5);
    });
    tf.dispose([ids, logits, finalState, state]);
  });

  it('continues from a carried state exactly as one long pass (truncated BPTT chunks)', () => {
    const m = make({ vocabSize: V, embeddingSize: 5, hiddenSize: 6, cell: 'gru', seed: 2 });
    const ids = randomIds(new Rng(5), 2, 8);
    const whole = m.forward(ids);
    const first = m.forward(tf.slice(ids, [0, 0], [2, 4]));
    const second = m.forward(tf.slice(ids, [0, 4], [2, 4]), { initialState: first.state });
    expect(maxAbsDiff(tf.concat([first.logits, second.logits], 1), whole.logits)).toBeLessThan(1e-5);
    tf.dispose([ids, whole, first, second]);
  });

  it('zeroes a row state where resets mark a document start', () => {
    const m = make({ vocabSize: V, embeddingSize: 5, hiddenSize: 6, seed: 2 });
    const ids = randomIds(new Rng(6), 2, 6);
    const resets = new Float32Array(12);
    resets[3] = 1; // row 0 starts a new document at t = 3
    const { logits } = m.forward(ids, { resets });
    const fresh = m.forward(tf.slice(ids, [0, 3], [2, 3]));
    const carried = m.forward(ids);
    const row = (t: tf.Tensor, b: number, from: number, n: number) => tf.slice(t, [b, from, 0], [1, n, V]);
    expect(maxAbsDiff(row(logits, 0, 3, 3), row(fresh.logits, 0, 0, 3))).toBeLessThan(1e-5);
    // Row 1 has no reset: it matches the plain pass, not the fresh one.
    expect(maxAbsDiff(row(logits, 1, 0, 6), row(carried.logits, 1, 0, 6))).toBeLessThan(1e-5);
    expect(maxAbsDiff(row(logits, 1, 3, 3), row(fresh.logits, 1, 0, 3))).toBeGreaterThan(1e-3);
    tf.dispose([ids, logits, fresh, carried]);
  });

  it('freezes the state of padded rows at their length', () => {
    const m = make({ vocabSize: V, embeddingSize: 5, hiddenSize: 6, seed: 8 });
    const ids = randomIds(new Rng(3), 2, 5);
    const padded = m.forward(ids, { lengths: [5, 2] });
    const short = m.forward(tf.slice(ids, [1, 0], [1, 2]));
    expect(
      maxAbsDiff(tf.slice(padded.state[0] as tf.Tensor, [1, 0], [1, 6]), short.state[0] as tf.Tensor),
    ).toBeLessThan(1e-5);
    tf.dispose([ids, padded, short]);
  });

  it('computes the masked mean cross-entropy and counts tokens', () => {
    const m = make({ vocabSize: V, embeddingSize: 4, hiddenSize: 5, seed: 1 });
    const ids = randomIds(new Rng(2), 2, 4);
    const targets = randomIds(new Rng(3), 2, 4);
    const mask = tf.tensor2d([1, 1, 1, 0, 1, 0, 0, 0], [2, 4]);
    const { loss, tokens, state } = m.sequenceLoss(ids, targets, { mask });
    expect(tokens).toBe(4);
    // Reference: -log softmax picked by hand on the host.
    const logits = m.forward(ids).logits;
    const logp = tf.logSoftmax(logits).arraySync() as number[][][];
    const t = targets.arraySync() as number[][];
    const mk = mask.arraySync() as number[][];
    let sum = 0;
    for (let b = 0; b < 2; b++)
      for (let s = 0; s < 4; s++) sum -= (mk[b]?.[s] ?? 0) * (logp[b]?.[s]?.[t[b]?.[s] ?? 0] ?? 0);
    expect(loss.dataSync()[0]).toBeCloseTo(sum / 4, 5);
    // Untrained, the loss is near ln(V).
    expect(Math.abs((loss.dataSync()[0] as number) - Math.log(V))).toBeLessThan(0.5);
    tf.dispose([ids, targets, mask, loss, state, logits]);
  });

  it('ties weights: one variable is both the embedding and the output kernel', () => {
    const tied = make({ vocabSize: V, embeddingSize: 6, hiddenSize: 6, tieWeights: true, seed: 4 });
    const untied = make({ vocabSize: V, embeddingSize: 6, hiddenSize: 6, seed: 4 });
    expect(Object.keys(tied.variables)).not.toContain('output/kernel');
    expect(Object.keys(tied.variables)).toContain('output/bias');
    // Only tokens 0 and 1 are fed; the output path alone reaches the other rows.
    const ids = tf.tensor2d([0, 1, 0, 1], [1, 4], 'int32');
    const targets = tf.tensor2d([1, 0, 1, 0], [1, 4], 'int32');
    const rowNorms = (m: RecurrentLanguageModel) =>
      tf.tidy(() => {
        const { grads } = tf.variableGrads(
          () => m.sequenceLoss(ids, targets).loss,
          [m.variables.embedding as tf.Variable],
        );
        return tf.norm(Object.values(grads)[0] as tf.Tensor, 'euclidean', 1).arraySync() as number[];
      });
    expect(
      rowNorms(untied)
        .slice(2)
        .every((n) => n === 0),
    ).toBe(true);
    expect(
      rowNorms(tied)
        .slice(2)
        .every((n) => n > 0),
    ).toBe(true);
    // Changing the embedding changes the output projection.
    const before = tied.forward(ids).logits;
    const embedding = tied.variables.embedding as tf.Variable;
    const saved = tf.clone(embedding);
    tf.tidy(() => embedding.assign(tf.mul(embedding, 2)));
    const after = tied.forward(ids).logits;
    expect(maxAbsDiff(before, after)).toBeGreaterThan(1e-4);
    embedding.assign(saved);
    tf.dispose([ids, targets, before, after, saved]);
  });

  it('rejects a tie between different sizes with a ConfigError naming tieWeights', () => {
    expect(
      () => new RecurrentLanguageModel({ vocabSize: V, embeddingSize: 4, hiddenSize: 6, tieWeights: true }),
    ).toThrow(ConfigError);
  });

  it('names the argument of bad inputs', () => {
    const m = make({ vocabSize: V, embeddingSize: 4, hiddenSize: 5 });
    const floats = tf.tensor2d([[0, 1]]);
    expect(shapeError(() => m.forward(floats as tf.Tensor2D)).message).toMatch(
      /ids must be int32 token ids, got float32/,
    );
    const big = tf.tensor2d([[0, V]], [1, 2], 'int32');
    const error = shapeError(() => m.forward(big));
    expect(error.argument).toBe('ids');
    expect(error.message).toContain(`token ids in [0, ${V}), got ${V} at [0, 1]`);
    const rank3 = tf.zeros([1, 2, 1], 'int32');
    expect(shapeError(() => m.forward(rank3 as tf.Tensor2D)).argument).toBe('ids');
    const column = tf.tensor2d([[1], [2]], [2, 1], 'int32');
    expect(shapeError(() => m.step(column as unknown as tf.Tensor1D, m.initialState(2))).argument).toBe('tokens');
    const tokens = tf.tensor1d([1, 2], 'int32');
    expect(shapeError(() => m.step(tokens, [])).argument).toBe('state');
    const wrongBatch = m.initialState(3);
    expect(shapeError(() => m.step(tokens, wrongBatch)).argument).toBe('state[0]');
    const ids = tf.tensor2d([[1, 2]], [1, 2], 'int32');
    const targets3 = tf.tensor2d([[1, 2, 3]], [1, 3], 'int32');
    expect(shapeError(() => m.sequenceLoss(ids, targets3)).argument).toBe('targets');
    const badMask = tf.tensor2d([[1, 1, 1]]);
    expect(shapeError(() => m.sequenceLoss(ids, ids, { mask: badMask })).argument).toBe('mask');
    expect(shapeError(() => m.forward(ids, { lengths: [3] })).argument).toBe('lengths[0]');
    expect(shapeError(() => m.loss({ batchSize: 1, seqLength: 2, inputs: [1], targets: [1, 2] })).argument).toBe(
      'batch.inputs',
    );
    tf.dispose([floats, big, rank3, column, tokens, wrongBatch, ids, targets3, badMask]);
  });

  it('leaks no tensor in loss under tf.variableGrads, with the state kept and released as the trainer does', () => {
    const m = make({
      vocabSize: V,
      embeddingSize: 6,
      hiddenSize: 6,
      numLayers: 2,
      tieWeights: true,
      dropout: 0.2,
      embeddingDropout: 0.1,
      outputDropout: 0.1,
      seed: 5,
    });
    const batch = {
      batchSize: 2,
      seqLength: 6,
      inputs: Int32Array.from({ length: 12 }, (_, i) => i % V),
      targets: Int32Array.from({ length: 12 }, (_, i) => (i + 1) % V),
      mask: new Float32Array(12).fill(1),
      resets: Float32Array.from({ length: 12 }, (_, i) => (i === 3 ? 1 : 0)),
    };
    let state: tf.Tensor[] | undefined;
    const run = () => {
      const { value, grads } = tf.variableGrads(() => {
        const out = m.loss(batch, state, { training: true, rng: new Rng(1) });
        const next = out.state.map((t) => tf.keep(t));
        if (state) tf.dispose(state);
        state = next;
        return out.loss;
      });
      expect(Object.keys(grads)).toHaveLength(Object.keys(m.variables).length);
      tf.dispose([value, grads]);
    };
    run(); // warm-up: backends cache some tensors on first use
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) run();
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose(state);
  });

  it('refuses use after dispose', () => {
    const m = new RecurrentLanguageModel({ vocabSize: V, embeddingSize: 4, hiddenSize: 5 });
    m.dispose();
    m.dispose(); // idempotent
    expect(() => m.initialState(1)).toThrow(ConfigError);
  });
});
