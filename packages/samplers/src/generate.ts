import { type SequenceModel, ShapeError } from '@seqgen/core';
import { beamSearchBatch } from './beam-search.js';
import { createDecodeSetup, decodeLoop, type RowResult } from './decode-loop.js';
import { decodingStrategy, type GenerationConfig } from './generation-config.js';
import {
  checkPrompt,
  type GenerateOptions,
  type GenerationResult,
  prepareConfig,
  withText,
} from './generation-setup.js';
import { checkConditionRows } from './model-state.js';

/**
 * Continues one prompt. The prompt goes through `model.step` once, token by
 * token, then each new token costs one more step on the carried state.
 * Greedy, sampling or beam search according to the config (see
 * `GenerationConfig`); returns `numReturnSequences` sequences. A
 * conditioned model gets `options.condition` (one row).
 */
export async function generate<State, Condition>(
  model: SequenceModel<State, Condition>,
  promptIds: readonly number[],
  config: Partial<GenerationConfig> = {},
  options: GenerateOptions<Condition, State> = {},
): Promise<GenerationResult> {
  // Checked here too so that errors name `promptIds` rather than `prompts[0]`.
  prepareConfig(model, config);
  checkPrompt(promptIds, model.vocabSize);
  if (options.condition !== undefined) checkConditionRows(options.condition, 1, 'generate');
  const [result] = await generateBatch(model, [promptIds], config, options);
  return result as GenerationResult;
}

/**
 * Continues several prompts (of any lengths) in one batch: one `model.step`
 * per time step for all of them. Returns one result per prompt, in order.
 * Beam search goes through `beamSearchBatch` (all prompts × beams in one batch).
 * A conditioned model gets `options.condition` with one row per prompt: the
 * model starts from `initialState(prompts.length, condition)`, and the
 * `numReturnSequences` samples of a prompt repeat its state row.
 */
export async function generateBatch<State, Condition>(
  model: SequenceModel<State, Condition>,
  prompts: readonly (readonly number[])[],
  config: Partial<GenerationConfig> = {},
  options: GenerateOptions<Condition, State> = {},
): Promise<GenerationResult[]> {
  const resolved = prepareConfig(model, config);
  if (!Array.isArray(prompts) || prompts.length === 0) {
    throw new ShapeError(
      'prompts',
      'a non-empty array of token-id arrays',
      Array.isArray(prompts) ? '[]' : typeof prompts,
    );
  }
  for (const [i, p] of prompts.entries()) checkPrompt(p, model.vocabSize, `prompts[${i}]`);
  const { condition } = options;
  if (condition !== undefined) checkConditionRows(condition, prompts.length, 'generateBatch');
  const strategy = decodingStrategy(resolved);
  if (strategy === 'beam') return beamSearchBatch(model, prompts, resolved, options);

  // Each prompt is repeated numReturnSequences times: independent samples share the batch.
  const copies = resolved.numReturnSequences;
  const rows = prompts.flatMap((p) => Array.from({ length: copies }, () => p));
  const loop = decodeLoop(model, rows, createDecodeSetup(resolved, strategy, options), {
    condition,
    repeat: copies,
    context: 'generateBatch',
    trace: options.trace,
  });
  let step = await loop.next();
  while (!step.done) step = await loop.next();
  const finished: RowResult[] = step.value;
  return prompts.map((_, p) => ({
    sequences: finished
      .slice(p * copies, (p + 1) * copies)
      .map((r) => withText({ ...r, score: r.logProb }, options.decode)),
  }));
}
