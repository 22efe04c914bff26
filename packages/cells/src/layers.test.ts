import { ConfigError, initBackend, Rng, randomNormal, ShapeError } from '@seqgen/core';
import { checkGradient, maxAbsDiff } from '@seqgen/test-utils';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { Bidirectional } from './bidirectional.js';
import type { RecurrentCell } from './cell.js';
import { GRUCell } from './gru-cell.js';
import { LSTMCell } from './lstm-cell.js';
import { RecurrentLayer } from './recurrent-layer.js';
import { StackedRNN } from './stacked-rnn.js';

/** The terms of a loss that gives every output element a distinct fixed weight (summed in float64 by checkGradient). */
const lossTerms = (outs: tf.Tensor[]) =>
  tf.concat(
    outs.map((t, k) => tf.reshape(tf.mul(t, tf.sin(tf.add(tf.reshape(tf.range(0, t.size), t.shape), k))), [-1])),
  );

describe('sequence layers', () => {
  beforeAll(async () => {
    await initBackend();
  });

  it('StackedRNN.step, token by token, reproduces apply over the whole sequence', async () => {
    for (const cell of ['lstm', 'gru', 'rnn'] as const) {
      const rnn = new StackedRNN({ cell, inputSize: 4, hiddenSize: 6, numLayers: 3, seed: 2 });
      const x = randomNormal(new Rng(3), [2, 7, 4]);
      const whole = rnn.apply(x);
      let states = rnn.initialState(2);
      const outs: tf.Tensor[] = [];
      for (const xt of tf.unstack(x, 1)) {
        const r = rnn.step(xt, states);
        outs.push(r.output);
        states = r.states;
      }
      expect(await maxAbsDiff(tf.stack(outs, 1), whole.output)).toBeLessThan(1e-5);
      for (let l = 0; l < 3; l++) {
        for (let k = 0; k < states[l]!.length; k++)
          expect(await maxAbsDiff(states[l]![k]!, whole.states[l]![k]!)).toBeLessThan(1e-5);
      }
    }
  });

  it('bidirectional merges by concat, sum, mul and average; reverse runs within each length', async () => {
    const x = randomNormal(new Rng(4), [2, 5, 3]);
    const fwd = new RecurrentLayer(new GRUCell({ inputSize: 3, units: 4, seed: 1 }));
    const bwd = new RecurrentLayer(new GRUCell({ inputSize: 3, units: 4, seed: 2 }), { reverse: true });
    const f = fwd.apply(x, { lengths: [5, 2] }).output;
    const b = bwd.apply(x, { lengths: [5, 2] }).output;
    const expected = {
      concat: tf.concat([f, b], -1),
      sum: tf.add(f, b),
      mul: tf.mul(f, b),
      average: tf.div(tf.add(f, b), 2),
    };
    for (const [mode, want] of Object.entries(expected)) {
      const bi = new Bidirectional(fwd, bwd, mode as 'sum');
      const out = bi.apply(x, { lengths: [5, 2] });
      expect(await maxAbsDiff(out.output, want)).toBeLessThan(1e-6);
      expect(out.state).toHaveLength(2);
      expect(bi.outputSize).toBe(mode === 'concat' ? 8 : 4);
    }
    // The backward direction of example 1 (length 2) starts at step 1: its output at step 0 equals a
    // backward pass over just the first two steps.
    const short = bwd.apply(tf.slice(x, [1, 0, 0], [1, 2, 3])).output;
    expect(await maxAbsDiff(tf.slice(b, [1, 0, 0], [1, 2, 4]), short)).toBeLessThan(1e-6);
    expect(() => new Bidirectional(fwd, bwd, 'max' as 'sum')).toThrow(ConfigError);
    expect(() => new Bidirectional(fwd, fwd)).toThrow(/reverse: true/);
  });

  it('gradients of stacked bidirectional layers with masks agree with finite differences', async () => {
    const rnn = new StackedRNN({
      cell: 'lstm',
      inputSize: 3,
      hiddenSize: 4,
      numLayers: 2,
      bidirectional: true,
      seed: 5,
    });
    const x = randomNormal(new Rng(6), [2, 4, 3]);
    const f = () => {
      const r = rnn.apply(x, { lengths: [4, 3] });
      return lossTerms([r.output, ...r.states.flat()]);
    };
    const vars = Object.values(rnn.variables);
    const { grads } = tf.variableGrads(() => tf.sum(f()) as tf.Scalar, vars);
    // Every variable, 8 seeded entries of each, each within 1e-3 (a 1.1-scaled gradient fails by ~45×).
    for (const v of vars) {
      const r = await checkGradient(f, v, grads[v.name]!, { maxEntries: 8 });
      expect(r.ratio, r.worst).toBeLessThanOrEqual(1);
    }
  });

  const loopOnly: Array<[string, () => RecurrentCell]> = [
    ['LSTM with projection', () => new LSTMCell({ inputSize: 3, units: 5, projSize: 2, seed: 1 })],
    ['LSTM with layer norm', () => new LSTMCell({ inputSize: 3, units: 5, layerNorm: true, seed: 2 })],
    [
      'GRU with the reset gate before the matmul',
      () => new GRUCell({ inputSize: 3, units: 5, resetAfter: false, seed: 3 }),
    ],
  ];
  for (const [name, make] of loopOnly) {
    it(`${name}: step-loop gradients agree with finite differences`, async () => {
      const cell = make();
      expect(cell.sequence).toBeUndefined();
      const layer = new RecurrentLayer(cell);
      const x = randomNormal(new Rng(8), [2, 4, 3]);
      const f = () => {
        const r = layer.apply(x, { lengths: [4, 2] });
        return lossTerms([r.output, ...r.state]);
      };
      const vars = Object.values(cell.variables);
      const { grads } = tf.variableGrads(() => tf.sum(f()) as tf.Scalar, vars);
      // 8 seeded entries per variable (each forward is a step loop, slow on wasm), each within 1e-3.
      for (const v of vars) {
        const r = await checkGradient(f, v, grads[v.name]!, { maxEntries: 8 });
        expect(r.ratio, r.worst).toBeLessThanOrEqual(1);
        expect(r.checked).toBe(Math.min(8, v.size));
      }
    });
  }

  it('dropout is seeded, only active in training, and variational over time', async () => {
    const make = () =>
      new RecurrentLayer(new LSTMCell({ inputSize: 4, units: 6, seed: 1 }), {
        dropout: 0.5,
        recurrentDropout: 0.3,
        outputDropout: 0.2,
        seed: 9,
      });
    const x = tf.ones([2, 5, 4]);
    const a = make();
    const b = make();
    const inference = a.apply(x).output;
    expect(await maxAbsDiff(inference, new RecurrentLayer(a.cell).apply(x).output)).toBe(0);
    const t1 = a.apply(x, { training: true }).output;
    const t2 = b.apply(x, { training: true }).output;
    expect(await maxAbsDiff(t1, t2)).toBe(0); // same seed ⇒ same masks
    expect(await maxAbsDiff(t1, a.apply(x, { training: true }).output)).toBeGreaterThan(0); // masks advance
    // Output dropout zeroes whole units for the whole sequence (variational).
    const out = (await t1.array()) as number[][][];
    for (let u = 0; u < 6; u++) {
      const column = out[0]!.map((step) => step[u]!);
      expect(column.every((v) => v === 0) || column.every((v) => v !== 0)).toBe(true);
    }
    expect(() => new RecurrentLayer(a.cell, { dropout: 1 })).toThrow(ConfigError);
  });

  it('trace returns per-step gates and states that reproduce the outputs', async () => {
    const layer = new RecurrentLayer(new LSTMCell({ inputSize: 3, units: 4, seed: 1 }));
    const x = randomNormal(new Rng(2), [2, 5, 3]);
    const traced = layer.apply(x, { trace: true });
    const { i, f, g, o, c, h } = traced.trace as Record<string, tf.Tensor>;
    for (const t of [i, f, g, o, c, h]) expect(t!.shape).toEqual([2, 5, 4]);
    expect(await maxAbsDiff(h!, traced.output)).toBe(0);
    expect(await maxAbsDiff(tf.mul(o!, tf.tanh(c!)), traced.output)).toBeLessThan(1e-6);
    const gates = await tf.concat([i!, f!, o!], -1).data();
    expect(Math.min(...gates)).toBeGreaterThan(0);
    expect(Math.max(...gates)).toBeLessThan(1);
    expect(await maxAbsDiff(layer.apply(x).output, traced.output)).toBeLessThan(1e-6);
    const gru = new RecurrentLayer(new GRUCell({ inputSize: 3, units: 4 })).apply(x, { trace: true });
    expect(Object.keys(gru.trace ?? {}).sort()).toEqual(['h', 'n', 'r', 'z']);
  });

  it('round-trips configs and refuses bad shapes and options, naming the argument', () => {
    const rnn = new StackedRNN({
      cell: 'gru',
      inputSize: 3,
      hiddenSize: 4,
      numLayers: 2,
      bidirectional: true,
      merge: 'sum',
      dropout: 0.1,
      seed: 4,
    });
    const copy = StackedRNN.fromConfig(rnn.getConfig());
    expect(copy.getConfig()).toEqual(rnn.getConfig());
    expect(Object.keys(copy.variables)).toEqual(Object.keys(rnn.variables));
    expect(() => rnn.apply(tf.zeros([2, 5, 4]))).toThrow(ShapeError);
    expect(() => rnn.apply(tf.zeros([2, 5, 4]))).toThrow(/x must be of shape \[\?, \?, 3\], got \[2, 5, 4\]/);
    expect(() => rnn.apply(tf.zeros([2, 5, 3]), { lengths: [5] })).toThrow(/lengths must be 2 entries/);
    expect(() => rnn.apply(tf.zeros([2, 5, 3]), { lengths: [5, 6] })).toThrow(
      /lengths\[1\]: must be an integer in \[0, 5\]/,
    );
    expect(() => rnn.step(tf.zeros([2, 3]), rnn.initialState(2))).toThrow(/bidirectional/);
    expect(() => new StackedRNN({ cell: 'gru', inputSize: 3, hiddenSize: 0 })).toThrow(
      /hiddenSize: must be a positive integer/,
    );
    expect(() => new StackedRNN({ cell: 'gru', inputSize: 3, hiddenSize: 2, projSize: 1 })).toThrow(/projSize/);
    expect(() => new StackedRNN({ cell: 'transformer' as 'gru', inputSize: 3, hiddenSize: 2 })).toThrow(
      /cell: must be lstm, gru or rnn/,
    );
    const cell = new LSTMCell({ inputSize: 3, units: 4 });
    expect(() => cell.step(tf.zeros([2, 3]), [tf.zeros([2, 4]), tf.zeros([3, 4])])).toThrow(
      /state\[1\] \(c\) must be of shape \[2, 4\]/,
    );
    expect(() => cell.step(tf.zeros([2, 3], 'int32'), cell.initialState(2))).toThrow(/x must be float32/);
    expect(() => cell.setWeights({ kernel: tf.zeros([3, 3]) })).toThrow(/kernel must be \[3,16\]/);
  });
});

describe('no tensor leaks', () => {
  beforeAll(async () => {
    await initBackend();
  });

  it('100 training steps keep tf.memory().numTensors flat', async () => {
    const rnn = new StackedRNN({ cell: 'lstm', inputSize: 4, hiddenSize: 8, numLayers: 2, dropout: 0.1, seed: 1 });
    const optimizer = tf.train.adam(1e-2);
    const x = randomNormal(new Rng(1), [4, 6, 4]);
    const y = randomNormal(new Rng(2), [4, 6, 8]);
    const vars = Object.values(rnn.variables);
    const trainStep = () => {
      const cost = optimizer.minimize(
        () =>
          tf.losses.meanSquaredError(y, rnn.apply(x, { training: true, lengths: [6, 5, 4, 1] }).output) as tf.Scalar,
        true,
        vars,
      );
      const v = cost!.dataSync()[0] as number;
      cost!.dispose();
      return v;
    };
    const first = trainStep();
    const before = tf.memory().numTensors;
    let last = first;
    for (let i = 0; i < 100; i++) last = trainStep();
    expect(tf.memory().numTensors).toBe(before);
    expect(last).toBeLessThan(first);
  });

  it('10,000 generation steps, run outside tf.tidy, keep tf.memory().numTensors flat', () => {
    for (const cell of ['gru', 'lstm'] as const) {
      const rnn = new StackedRNN({ cell, inputSize: 4, hiddenSize: 8, numLayers: 2, seed: 1 });
      let states = rnn.initialState(1);
      const x = tf.ones([1, 4]);
      const before = tf.memory().numTensors;
      const steps = cell === 'gru' ? 10_000 : 1_000;
      // No tidy: every tensor step leaves behind must be one it returns, which the caller disposes.
      for (let i = 0; i < steps; i++) {
        const r = rnn.step(x, states);
        const next = new Set(r.states.flat());
        if (!next.has(r.output)) r.output.dispose(); // the output may be the top layer's h
        // The new states are fresh tensors, so disposing the old ones cannot free them.
        if (states.flat().some((t) => next.has(t))) expect.fail(`${cell} step ${i} returned an input state`);
        tf.dispose(states.flat());
        states = r.states;
        if (i % 1000 === 0) expect(tf.memory().numTensors, `${cell} step ${i}`).toBe(before);
      }
      expect(tf.memory().numTensors, cell).toBe(before);
      tf.dispose([x, ...states.flat()]);
      rnn.dispose();
    }
  });
});

describe('dropout from a caller-supplied generator', () => {
  beforeAll(async () => {
    await initBackend();
  });

  it('repeats the masks when the same RNG state is passed again', async () => {
    const rnn = new StackedRNN({
      cell: 'gru',
      inputSize: 3,
      hiddenSize: 4,
      numLayers: 2,
      dropout: 0.5,
      recurrentDropout: 0.3,
      seed: 1,
    });
    const x = tf.ones([2, 4, 3]);
    const rng = new Rng(77);
    const saved = rng.getState();
    const a = rnn.apply(x, { training: true, rng }).output;
    const b = rnn.apply(x, { training: true, rng }).output;
    expect(await maxAbsDiff(a, b)).toBeGreaterThan(0);
    rng.setState(saved);
    expect(await maxAbsDiff(rnn.apply(x, { training: true, rng }).output, a)).toBe(0);
  });
});
