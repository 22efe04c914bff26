import { fusedKernelStatus, nativeKernels } from '@seqgen/cells';
import { initBackend } from '@seqgen/core';
import { NATIVE_REQUIRED } from '@seqgen/test-utils';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ConditionedLanguageModel, type ConditionedLMState } from './conditioned-lm.js';

beforeAll(async () => {
  await initBackend();
});

const decodeSteps = () => nativeKernels()?.nativeCallCounts().decodeStep ?? 0;

const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs((a[i] as number) - (b[i] as number)));
  return m;
};

/** step under a gradient tape: the tfjs ops, never the native fast path. */
function taped(model: ConditionedLanguageModel, tokens: number[], state: ConditionedLMState) {
  let logits: ArrayLike<number> = [];
  let layers: ArrayLike<number>[] = [];
  let position: ArrayLike<number> = [];
  const { value, grads } = tf.variableGrads(() => {
    const r = model.step(tf.tensor1d(tokens, 'int32'), state);
    logits = r.logits.dataSync().slice();
    layers = r.state.layers.map((s) => s.dataSync().slice());
    position = r.state.position.dataSync().slice();
    return tf.sum(r.logits) as tf.Scalar;
  }, [model.variables['output/bias'] as tf.Variable]);
  tf.dispose([value, ...Object.values(grads)]);
  return { logits, layers, position };
}

describe('ConditionedLanguageModel.step: native decoder fast path', () => {
  for (const [cell, conditionOn] of [
    ['lstm', 'next'],
    ['gru', 'current'],
  ] as const) {
    it(`${cell}, condition on ${conditionOn}: same logits, state and position as the tfjs ops (1e-5), one native call a step`, (ctx) => {
      if (!nativeKernels()) {
        const why = fusedKernelStatus().reason;
        if (NATIVE_REQUIRED) expect.fail(`SEQGEN_NATIVE_REQUIRED=1 but the native decoder cannot run: ${why}`);
        ctx.skip(`nothing to compare: the native decoder does not run here (${why})`);
        return;
      }
      const model = new ConditionedLanguageModel({
        vocabSize: 13,
        embeddingSize: 6,
        conditionVocabSize: 5,
        conditionEmbeddingSize: 3,
        hiddenSize: 10,
        numLayers: 2,
        cell,
        conditionOn,
        seed: 7,
      });
      // Two rows, three conditioning ids each: past the end the last id holds.
      const conditions = tf.tensor2d(
        [
          [0, 4, 2],
          [3, 1, 1],
        ],
        [2, 3],
        'int32',
      );
      let state = model.initialState(2, conditions);
      for (const tokens of [
        [1, 12],
        [0, 4],
        [7, 7],
        [2, 9],
      ]) {
        const want = taped(model, tokens, state);
        const before = decodeSteps();
        const got = model.step(tf.tensor1d(tokens, 'int32'), state);
        expect(decodeSteps()).toBe(before + 1);
        expect(maxDiff(got.logits.dataSync(), want.logits)).toBeLessThan(1e-5);
        got.state.layers.forEach((s, k) => {
          expect(maxDiff(s.dataSync(), want.layers[k] as ArrayLike<number>)).toBeLessThan(1e-5);
        });
        expect(Array.from(got.state.position.dataSync())).toEqual(Array.from(want.position));
        expect(got.state.conditions).toBe(state.conditions);
        tf.dispose([got.logits, ...state.layers, state.position]);
        state = got.state;
      }
      tf.dispose([...state.layers, state.position, state.conditions, conditions]);
      model.dispose();
    });
  }

  it('2,000 steps keep the tensor count flat', () => {
    const model = new ConditionedLanguageModel({
      vocabSize: 9,
      embeddingSize: 4,
      conditionVocabSize: 3,
      conditionEmbeddingSize: 2,
      hiddenSize: 8,
      seed: 1,
    });
    const conditions = tf.tensor2d([[0, 2, 1]], [1, 3], 'int32');
    let state = model.initialState(1, conditions);
    const before = tf.memory().numTensors;
    let token = 0;
    for (let i = 0; i < 2000; i++) {
      const ids = tf.tensor1d([token], 'int32');
      const r = model.step(ids, state);
      token = (i + ((r.logits.dataSync()[0] as number) > 0 ? 1 : 0)) % 9;
      tf.dispose([ids, r.logits, ...state.layers, state.position]);
      state = r.state;
    }
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([...state.layers, state.position, state.conditions, conditions]);
    model.dispose();
  });
});
