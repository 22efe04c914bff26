import { fusedKernelStatus, nativeKernels } from '@seqgen/cells';
import { initBackend } from '@seqgen/core';
import { NATIVE_REQUIRED } from '@seqgen/test-utils';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { RecurrentLanguageModel } from './recurrent-lm.js';

beforeAll(async () => {
  await initBackend();
});

/** step's logits and state under a gradient tape: the tfjs ops, never the native fast path. */
function taped(model: RecurrentLanguageModel, tokens: number[], state: tf.Tensor[]) {
  let logits: ArrayLike<number> = [];
  let next: ArrayLike<number>[] = [];
  const { value, grads } = tf.variableGrads(() => {
    const r = model.step(tf.tensor1d(tokens, 'int32'), state);
    logits = r.logits.dataSync().slice();
    next = r.state.map((s) => s.dataSync().slice());
    return tf.sum(r.logits) as tf.Scalar;
  }, [model.variables['output/bias'] as tf.Variable]);
  tf.dispose([value, ...Object.values(grads)]);
  return { logits, next };
}

/** @seqgen/native's kernel-call counts, as seen by the module instance models' decoder calls. */
const calls = () => {
  const c = nativeKernels()!.nativeCallCounts();
  return { decodeStep: c.decodeStep, stepForward: c.stepForward, sequenceForward: c.sequenceForward };
};

const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs((a[i] as number) - (b[i] as number)));
  return m;
};

describe('RecurrentLanguageModel.step: native decoder fast path', () => {
  for (const [cell, tieWeights] of [
    ['lstm', false],
    ['gru', false],
    ['rnn', false],
    ['lstm', true],
  ] as const) {
    it(`${cell}${tieWeights ? ' (tied)' : ''}: same logits and state as the tfjs ops (1e-5)`, (ctx) => {
      if (!nativeKernels()) {
        const why = fusedKernelStatus().reason;
        if (NATIVE_REQUIRED) expect.fail(`SEQGEN_NATIVE_REQUIRED=1 but the native decoder cannot run: ${why}`);
        ctx.skip(`nothing to compare: the native decoder does not run here (${why})`);
        return;
      }
      const model = new RecurrentLanguageModel({
        vocabSize: 19,
        embeddingSize: 8,
        hiddenSize: tieWeights ? 8 : 12,
        numLayers: 2,
        cell,
        tieWeights,
        seed: 3,
      });
      let state = model.initialState(2);
      for (const tokens of [
        [1, 18],
        [0, 4],
        [7, 7],
      ]) {
        const c0 = calls();
        const want = taped(model, tokens, state);
        const c1 = calls();
        const got = tf.tidy(() => model.step(tf.tensor1d(tokens, 'int32'), state));
        const c2 = calls();
        // The taped step ran only tfjs ops; the untaped one is a single native decodeStep call.
        expect(c1).toEqual(c0);
        expect(c2).toEqual({ ...c1, decodeStep: c1.decodeStep + 1 });
        expect(got.logits.shape).toEqual([2, 19]);
        expect(maxDiff(got.logits.dataSync(), want.logits)).toBeLessThan(1e-5);
        got.state.forEach((s, k) => {
          expect(maxDiff(s.dataSync(), want.next[k] as ArrayLike<number>)).toBeLessThan(1e-5);
        });
        tf.dispose([got.logits, ...state]);
        state = got.state;
      }
      tf.dispose(state);
      model.dispose();
    });
  }

  it('10,000 steps keep the tensor count flat', () => {
    const model = new RecurrentLanguageModel({ vocabSize: 11, embeddingSize: 4, hiddenSize: 8, numLayers: 2, seed: 1 });
    let state = model.initialState(1);
    const before = tf.memory().numTensors;
    let token = 0;
    for (let i = 0; i < 10_000; i++) {
      const ids = tf.tensor1d([token], 'int32');
      const r = model.step(ids, state);
      const logits = r.logits.dataSync();
      token = (i + (logits[0]! > 0 ? 1 : 0)) % 11;
      tf.dispose([ids, r.logits, ...state]);
      state = r.state;
    }
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose(state);
    model.dispose();
  });
});
