import { BahdanauAttention, LuongAttention } from '@seqgen/cells';
import { ConfigError, initBackend, Rng, randomNormal, ShapeError } from '@seqgen/core';
import { generateBatch } from '@seqgen/samplers';
import { checkGradient, maxAbsDiff } from '@seqgen/test-utils';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { AttentionDecoder, type AttentionDecoderOptions, attentionWeightsOf } from './attention-decoder.js';

// The decoder on its own, over a random memory and no encoder: how captioning
// (image features) and speech (phoneme encodings) will use it.

const B = 2;
const S = 5;
const D = 6;
const V = 9;

beforeAll(async () => {
  await initBackend();
});

function memoryOf(seed: number): { memory: tf.Tensor3D; mask: tf.Tensor2D } {
  const memory = randomNormal(new Rng(seed), [B, S, D]) as tf.Tensor3D;
  // Row 1 has 3 real positions (padding at the end); row 0 all 5.
  const mask = tf.tensor2d([1, 1, 1, 1, 1, 1, 1, 1, 0, 0], [B, S]);
  return { memory, mask };
}

const variants: Array<[string, Partial<AttentionDecoderOptions>]> = [
  ['GRU, Bahdanau, input feeding', { cell: 'gru', attention: 'bahdanau', inputFeeding: true }],
  [
    'LSTM ×2, Luong general, no input feeding',
    { cell: 'lstm', attention: 'luong-general', inputFeeding: false, numLayers: 2 },
  ],
  ['GRU, Luong dot, tied', { cell: 'gru', attention: 'luong-dot', memorySize: 8, embeddingSize: 8, tieWeights: true }],
];

function make(extra: Partial<AttentionDecoderOptions>): AttentionDecoder {
  return new AttentionDecoder({ vocabSize: V, embeddingSize: 5, hiddenSize: 8, memorySize: D, seed: 3, ...extra });
}

describe('AttentionDecoder over a random memory', () => {
  for (const [name, extra] of variants) {
    it(`${name}: step after step equals teacher-forced forward; weights are the cells' attention, zero on padding`, async () => {
      const decoder = make(extra);
      const M = decoder.shape.memorySize;
      const memory = randomNormal(new Rng(1), [B, S, M]) as tf.Tensor3D;
      const mask = tf.tensor2d([1, 1, 1, 1, 1, 1, 1, 1, 0, 0], [B, S]);
      const ids = tf.tensor2d([4, 1, 7, 2, 3, 8, 0, 5], [B, 4], 'int32');
      const forced = decoder.forward(ids, { memory, mask });
      expect(forced.logits.shape).toEqual([B, 4, V]);
      let state = decoder.initialState(B, { memory, mask });
      const cells =
        decoder.shape.attention === 'bahdanau'
          ? new BahdanauAttention({ querySize: 8, memorySize: M, units: 8 })
          : new LuongAttention({
              querySize: 8,
              memorySize: M,
              score: decoder.shape.attention === 'luong-dot' ? 'dot' : 'general',
            });
      for (const [key, v] of Object.entries(cells.variables))
        v.assign(decoder.variables[`attention/${key}`] as tf.Variable);
      const columns = tf.unstack(ids, 1) as tf.Tensor1D[];
      for (let t = 0; t < 4; t++) {
        const out = decoder.step(columns[t] as tf.Tensor1D, state);
        const want = tf.squeeze(tf.slice(forced.logits, [0, t, 0], [B, 1, V]), [1]);
        expect(await maxAbsDiff(out.logits, want), `logits at ${t}`).toBeLessThan(1e-5);
        const weights = attentionWeightsOf(out.state);
        const forcedWeights = tf.squeeze(tf.slice(forced.attention as tf.Tensor3D, [0, t, 0], [B, 1, S]), [1]);
        expect(await maxAbsDiff(weights, forcedWeights)).toBeLessThan(1e-5);
        // The precomputed-keys score is @seqgen/cells' attention with the same weights and the top layer's h as query.
        const query = out.state.layers[
          out.state.layers.length - (decoder.shape.cell === 'lstm' ? 2 : 1)
        ] as tf.Tensor2D;
        const reference = cells.apply(query, memory, { mask });
        expect(await maxAbsDiff(weights, reference.weights)).toBeLessThan(1e-5);
        const w = (await weights.array()) as number[][];
        expect(w[1]![3]).toBe(0);
        expect(w[1]![4]).toBe(0);
        expect(w[0]!.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
        state = out.state;
      }
      // What sits in the padded memory positions changes nothing.
      const scrambled = tf.where(
        tf.cast(tf.expandDims(mask, 2), 'bool'),
        memory,
        tf.fill([B, S, M], 42),
      ) as tf.Tensor3D;
      const again = decoder.forward(ids, { memory: scrambled, mask });
      expect(await maxAbsDiff(again.logits, forced.logits)).toBeLessThan(1e-5);
      cells.dispose();
      decoder.dispose();
    });
  }

  it('a decode step is a fixed, small number of kernels whatever the prefix length', async () => {
    const decoder = make({ cell: 'gru', attention: 'bahdanau', inputFeeding: true });
    const { memory, mask } = memoryOf(2);
    let state = decoder.initialState(B, { memory, mask });
    const counts: number[] = [];
    for (let t = 0; t < 6; t++) {
      const tokens = tf.tensor1d([t % V, (t + 3) % V], 'int32');
      let next: ReturnType<AttentionDecoder['step']> | undefined;
      const profile = await tf.profile(() => {
        next = decoder.step(tokens, state);
        return next.logits;
      });
      counts.push(profile.kernels.length);
      state = (next as NonNullable<typeof next>).state;
    }
    // Same count at step 1 and step 6: nothing re-runs over the prefix or re-projects the memory.
    expect(new Set(counts.slice(1)).size).toBe(1);
    expect(counts[5]).toBeLessThanOrEqual(40);
    console.log(`AttentionDecoder step (GRU, Bahdanau, input feeding): ${counts[5]} kernels`);
    decoder.dispose();
  });

  it('its step gradients agree with finite differences', async () => {
    const decoder = make({ cell: 'lstm', attention: 'bahdanau', inputFeeding: true, numLayers: 1 });
    const { memory, mask } = memoryOf(4);
    const probe = randomNormal(new Rng(9), [B, V]);
    // Two steps, so the gradient flows through the fed-back attentional vector and the carried state.
    const f = () =>
      tf.tidy(() => {
        const s0 = decoder.initialState(B, { memory, mask });
        const a = decoder.step(tf.tensor1d([1, 2], 'int32'), s0);
        const b = decoder.step(tf.tensor1d([3, 4], 'int32'), a.state);
        return tf.reshape(tf.mul(tf.add(a.logits, b.logits), probe), [-1]);
      });
    const vars = decoder.variables;
    const { grads } = tf.variableGrads(() => tf.sum(f()) as tf.Scalar, Object.values(vars));
    for (const name of [
      'attention/queryKernel',
      'attention/memoryKernel',
      'attention/scoreVector',
      'combine/kernel',
      'rnn/layers.0/kernel',
      'embedding',
    ]) {
      const v = vars[name] as tf.Variable;
      const r = await checkGradient(f, v, grads[v.name] as tf.Tensor, { maxEntries: 12, step: 5e-2 });
      expect(r.ratio, `${name}: ${r.worst}`).toBeLessThanOrEqual(1);
    }
    decoder.dispose();
  });

  it('decodes through the samplers with its attention traced', async () => {
    const decoder = make({});
    const { memory, mask } = memoryOf(5);
    const results = await generateBatch(
      decoder,
      [[1], [1]],
      { maxNewTokens: 4, temperature: 0 },
      { condition: { memory, mask }, trace: attentionWeightsOf },
    );
    expect(results).toHaveLength(2);
    const [first, second] = results.map((r) => r.sequences[0]!);
    expect(first!.tokens).toHaveLength(4);
    // One row of weights over the memory per generated token; row 1's padding gets none.
    expect(first!.trace).toHaveLength(4);
    expect(first!.trace![0]!.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    expect(Array.from(second!.trace![3]!.subarray(3))).toEqual([0, 0]);
    decoder.dispose();
  });

  it('refuses bad options and inputs with typed errors naming them', () => {
    expect(() => make({ tieWeights: true })).toThrow(/tieWeights: needs embeddingSize \(5\) to equal hiddenSize \(8\)/);
    expect(() => make({ attention: 'luong-dot' })).toThrow(ConfigError);
    expect(() => make({ attention: 'luong-dot' })).toThrow(/memorySize \(6\) equal to hiddenSize \(8\)/);
    expect(() => make({ cell: 'rnn' as 'gru' })).toThrow(/cell: must be "lstm" or "gru"/);
    expect(() => make({ dropout: 1 })).toThrow(/dropout: must be a number in \[0, 1\)/);
    const decoder = make({});
    expect(() => decoder.initialState(B)).toThrow(/decodes from a memory/);
    expect(() => decoder.initialState(B, { memory: tf.zeros([B, S, D + 1]) as tf.Tensor3D })).toThrow(ShapeError);
    expect(() =>
      decoder.initialState(B, { memory: tf.zeros([B, S, D]) as tf.Tensor3D, mask: tf.ones([B, S + 1]) as tf.Tensor2D }),
    ).toThrow(/condition.mask must be float32 of shape \[2, 5\]/);
    expect(() =>
      decoder.initialState(B, {
        memory: tf.zeros([B, S, D]) as tf.Tensor3D,
        initialStates: [tf.zeros([B, 3]) as tf.Tensor2D],
      }),
    ).toThrow(/initialStates\[0\]/);
    const state = decoder.initialState(B, { memory: tf.zeros([B, S, D]) as tf.Tensor3D });
    expect(() => decoder.step(tf.tensor1d([V, 0], 'int32'), state)).toThrow(/tokens must be token ids in \[0, 9\)/);
    expect(() => decoder.step(tf.tensor1d([1], 'int32'), state)).toThrow(ShapeError);
    const plain = make({ attention: 'none' });
    const s = plain.initialState(B);
    expect(() => attentionWeightsOf(s)).toThrow(ConfigError);
    expect(plain.step(tf.tensor1d([1, 2], 'int32'), s).logits.shape).toEqual([B, V]);
    expect(Object.keys(plain.variables).some((k) => k.startsWith('attention/') || k.startsWith('combine/'))).toBe(
      false,
    );
    expect(Object.fromEntries(Object.entries(decoder.variables).map(([k, v]) => [k, v.shape]))).toEqual(
      AttentionDecoder.weightShapes({ vocabSize: V, embeddingSize: 5, hiddenSize: 8, memorySize: D }),
    );
    decoder.dispose();
    plain.dispose();
    expect(() => decoder.step(tf.tensor1d([1, 2], 'int32'), state)).toThrow(/was disposed/);
  });
});
