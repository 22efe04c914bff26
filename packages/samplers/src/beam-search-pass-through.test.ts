import {
  type AttentionMemory,
  GATHER_ROWS,
  initBackend,
  type ModelConfig,
  Rng,
  type SequenceModel,
} from '@seqgen/core';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { beamSearchBatch } from './beam-search.js';
import type { GenerationConfig } from './generation-config.js';
import type { GenerationResult } from './generation-setup.js';
import { mapStateTensors } from './model-state.js';
import { ConditionedModel, type ConditionedState, favouring } from './test-fixtures/conditioned-model.js';

/**
 * Forwards to a real model and records the rows of every step. `copy: true`
 * returns a copy of every tensor the inner step passed through, so nothing is
 * ever passed through (the reference: every tensor reordered every step).
 * `freezeH(step)` passes `h` through unchanged at that step (a recurrent
 * tensor that is passed through only sometimes, after differing per beam).
 */
class Wrapped implements SequenceModel<ConditionedState, AttentionMemory> {
  readonly stepRows: number[] = [];
  constructor(
    private readonly inner: ConditionedModel,
    private readonly options: { copy?: boolean; freezeH?: (step: number) => boolean } = {},
  ) {}
  get vocabSize(): number {
    return this.inner.vocabSize;
  }
  initialState(batchSize: number, condition?: AttentionMemory): ConditionedState {
    return this.inner.initialState(batchSize, condition);
  }
  step(tokens: tf.Tensor1D, state: ConditionedState): { logits: tf.Tensor2D; state: ConditionedState } {
    const step = this.stepRows.length;
    this.stepRows.push(tokens.shape[0]);
    const out = this.inner.step(tokens, state);
    let next = out.state;
    if (this.options.freezeH?.(step)) next = { ...next, h: state.h };
    if (this.options.copy) next = mapStateTensors(next, (t) => tf.clone(t));
    return { logits: out.logits, state: next };
  }
  getConfig(): ModelConfig {
    return this.inner.getConfig();
  }
  dispose(): void {}
}

const V = 9;
const S = 48;
const EOS = 0;

/** The kernels that gather state rows: tf.gather's, and gather-rows.ts's row copy on wasm and cpu. */
const GATHERS = ['GatherV2', GATHER_ROWS];

/** Row gathers run by `fn`, as `[rows in, rows out]` per gathered rank-3 tensor (the memory). */
async function memoryGathers<T>(fn: () => Promise<T>): Promise<{ result: T; gathers: [number, number][] }> {
  let result: T | undefined;
  const profile = await tf.profile(async () => {
    result = await fn();
  });
  const gathers = profile.kernels
    .filter((k) => GATHERS.includes(k.name) && (k.inputShapes[0] as number[]).length === 3)
    .map((k) => [(k.inputShapes[0] as number[])[0], (k.outputShapes[0] as number[])[0]] as [number, number]);
  return { result: result as T, gathers };
}

/** Searches with `model` on a fresh condition, checking that nothing leaks. */
async function search(
  model: Wrapped,
  favoured: readonly number[],
  config: Partial<GenerationConfig>,
): Promise<{ results: GenerationResult[]; gathers: [number, number][] }> {
  const condition = favouring(V, favoured, 3, S - 3);
  const before = tf.memory().numTensors;
  const prompts = favoured.map((_, i) => [1 + (i % 4), 5]);
  const { result, gathers } = await memoryGathers(() => beamSearchBatch(model, prompts, config, { condition }));
  expect(tf.memory().numTensors).toBe(before);
  tf.dispose(condition as unknown as tf.TensorContainer);
  return { results: result, gathers };
}

describe('beamSearchBatch with a state tensor passed through unchanged', () => {
  let inner: ConditionedModel;
  beforeAll(async () => {
    await initBackend();
    inner = new ConditionedModel(new Rng(7), V);
  });
  afterAll(() => inner.dispose());

  // Prompt 0 favours EOS: its search is over after four steps and its rows leave the batch; the others run to maxNewTokens.
  const favoured = [EOS, 3, 5, 7];
  const config: Partial<GenerationConfig> = { numBeams: 3, numReturnSequences: 3, maxNewTokens: 8, stopTokens: [EOS] };

  it('gathers the memory only on expansion and when a prompt leaves, with the same results', async () => {
    const model = new Wrapped(inner);
    const { results, gathers } = await search(model, favoured, config);
    // Priming (all prompts are 2 tokens), 4 steps of 4 prompts × 3 beams, then 3 steps without prompt 0.
    expect(model.stepRows).toEqual([4, 4, 12, 12, 12, 12, 9, 9, 9]);
    expect(gathers).toEqual([
      [4, 12],
      [12, 9],
    ]);

    const reference = new Wrapped(inner, { copy: true });
    const copied = await search(reference, favoured, config);
    expect(reference.stepRows).toEqual(model.stepRows);
    // Without pass-through, before every decoding step.
    expect(copied.gathers).toEqual([[4, 12], ...Array(3).fill([12, 12]), [12, 9], [9, 9], [9, 9]]);
    expect(results).toEqual(copied.results);
    expect(results[0]?.sequences[0]?.tokens).toEqual([EOS]);
    expect(results[1]?.sequences[0]?.tokens).toHaveLength(8);
  });

  it('still reorders a tensor passed through only after it has come to differ between beams', async () => {
    // A weak condition, so that h decides; h differs per beam after the first decoding step, then every other step passes it through.
    const freezeH = (step: number) => step >= 3 && step % 2 === 1;
    const weak = (rng = new Rng(3)) => ({
      memory: tf.tensor3d(
        Array.from({ length: 2 * S * V }, () => rng.normal(0, 0.1)),
        [2, S, V],
      ),
      mask: tf.ones([2, S]) as tf.Tensor2D,
    });
    const run = async (model: Wrapped) => {
      const condition = weak();
      const before = tf.memory().numTensors;
      const results = await beamSearchBatch(
        model,
        [
          [1, 2],
          [3, 4],
        ],
        { numBeams: 4, numReturnSequences: 4, maxNewTokens: 10 },
        { condition },
      );
      expect(tf.memory().numTensors).toBe(before);
      tf.dispose(condition);
      return results;
    };
    const frozen = await run(new Wrapped(inner, { freezeH }));
    expect(frozen).toEqual(await run(new Wrapped(inner, { freezeH, copy: true })));
    // The frozen h makes a difference: the search is not the one of the plain model.
    expect(frozen).not.toEqual(await run(new Wrapped(inner)));
  });

  it('with one beam (one row per prompt), gathers only when a prompt leaves', async () => {
    const greedy = { ...config, numBeams: 1, numReturnSequences: 1 };
    const model = new Wrapped(inner);
    const { results, gathers } = await search(model, favoured, greedy);
    expect(model.stepRows).toEqual([4, 4, 3, 3, 3, 3, 3, 3, 3]);
    expect(gathers).toEqual([[4, 3]]);
    const copied = await search(new Wrapped(inner, { copy: true }), favoured, greedy);
    expect(results).toEqual(copied.results);
  });
});
