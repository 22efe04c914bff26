import type { Rng, SequenceModel } from '@seqgen/core';
import type * as tf from '@tensorflow/tfjs';
import { EventLoopYielder } from './event-loop.js';
import type { GenerationConfig } from './generation-config.js';
import { createRng, type GenerateOptions } from './generation-setup.js';
import { greedyToken } from './greedy.js';
import { logSoftmax } from './logits-math.js';
import { buildLogitsProcessors } from './logits-processors/build-logits-processors.js';
import { applyLogitsProcessors, type LogitsProcessor } from './logits-processors/logits-processor.js';
import { disposeState, readLogitRows, readTraceRows, startState, stepModel } from './model-state.js';
import { sampleToken } from './sample.js';
import { createStopChecker, type FinishReason, type StopChecker } from './stopping-criteria.js';

/** The loop setup a resolved config and the call options ask for. */
export function createDecodeSetup(
  config: GenerationConfig,
  strategy: 'greedy' | 'sample',
  options: GenerateOptions,
): DecodeLoopSetup {
  return {
    config,
    strategy,
    processors: [...buildLogitsProcessors(config), ...(options.logitsProcessors ?? [])],
    rng: createRng(config, options),
    stop: createStopChecker(config, options.decode),
    signal: options.signal,
  };
}

export interface DecodeLoopSetup {
  config: GenerationConfig;
  strategy: 'greedy' | 'sample';
  processors: readonly LogitsProcessor[];
  rng: Rng;
  stop: StopChecker;
  signal?: AbortSignal | undefined;
}

/** A token chosen for one row. */
export interface TokenEvent {
  row: number;
  token: number;
  /** This token ended the row. */
  done: boolean;
  /** The row's traced values at the step that chose this token (with `DecodeStart.trace`). */
  trace?: Float32Array;
}

/** How the loop's rows start: `prompts` are `distinct × repeat` rows, each distinct prompt repeated `repeat` times in a row. */
export interface DecodeStart<Condition, State = never> {
  /** Passed to `model.initialState(distinct, condition)`; one row per distinct prompt. */
  condition?: Condition | undefined;
  /** Copies of each distinct prompt (numReturnSequences); its state rows are repeated with `gatherState`. */
  repeat: number;
  /** Names the call in errors. */
  context: string;
  /** Read from the state after every step in which some row chooses a token (see `GenerateOptions.trace`). */
  trace?: ((state: State) => tf.Tensor) | undefined;
}

export interface RowResult {
  tokens: number[];
  logProb: number;
  finishReason: FinishReason;
  /** One traced row per token, with `DecodeStart.trace`. */
  trace?: Float32Array[];
}

/**
 * The greedy/sampling loop behind `generate`, `generateBatch` and `stream`,
 * for several rows at once. At time t every row is fed its own t-th token:
 * its prompt first, then what it generated, so prompts of different lengths
 * share one batch without padding the recurrent state, and each row starts
 * choosing once its prompt is in. One `model.step` per time step, never a
 * re-fed prefix. Rows draw in row order from one `Rng`, so a seed
 * reproduces everything. The state is disposed however the loop ends
 * (finished, aborted, thrown, or the consumer stopping early). A conditioned
 * model starts from `initialState(distinct, condition)` with each row then
 * repeated `start.repeat` times (see {@link startState}).
 */
export async function* decodeLoop<State, Condition>(
  model: SequenceModel<State, Condition>,
  prompts: readonly (readonly number[])[],
  setup: DecodeLoopSetup,
  start: DecodeStart<Condition, State> = { repeat: 1, context: 'generate' },
): AsyncGenerator<TokenEvent, RowResult[]> {
  const { config, strategy, processors, rng, stop, signal } = setup;
  const sequences = prompts.map((p) => [...p]);
  const { trace } = start;
  const results: RowResult[] = prompts.map(() =>
    trace
      ? { tokens: [], logProb: 0, finishReason: 'length', trace: [] }
      : { tokens: [], logProb: 0, finishReason: 'length' },
  );
  const done = prompts.map(() => false);
  const yielder = new EventLoopYielder();
  signal?.throwIfAborted();
  let state = startState(model, prompts.length / start.repeat, start.condition, start.context, start.repeat);
  try {
    for (let t = 0; ; t++) {
      await yielder.maybeYield();
      signal?.throwIfAborted();
      // A finished row still occupies its batch slot; it is fed id 0 and ignored.
      const out = stepModel(
        model,
        sequences.map((s) => s[t] ?? 0),
        state,
      );
      state = out.state;
      const choosing = prompts.flatMap((p, r) => (!done[r] && t >= p.length - 1 ? [r] : []));
      let rows: Float32Array[] = [];
      try {
        // Rows still reading their prompt need no logits: skip the device → JS copy.
        if (choosing.length > 0) rows = await readLogitRows(out.logits, 'model.step');
      } finally {
        out.logits.dispose();
      }
      const traced =
        trace && choosing.length > 0 ? await readTraceRows(trace, state, prompts.length, start.context) : [];
      signal?.throwIfAborted();
      for (const r of choosing) {
        const result = results[r] as RowResult;
        const sequence = sequences[r] as number[];
        const row = applyLogitsProcessors(processors, rows[r] as Float32Array, {
          step: result.tokens.length,
          sequence,
          promptLength: (prompts[r] as readonly number[]).length,
        });
        const token = strategy === 'greedy' ? greedyToken(row) : sampleToken(row, rng);
        result.logProb += logSoftmax(row)[token] as number;
        result.tokens.push(token);
        sequence.push(token);
        const tokenTrace = traced[r];
        if (tokenTrace) result.trace?.push(tokenTrace);
        const reason = stop(result.tokens) ?? (result.tokens.length >= config.maxNewTokens ? 'length' : null);
        if (reason) {
          result.finishReason = reason;
          done[r] = true;
        }
        yield tokenTrace
          ? { row: r, token, done: done[r] as boolean, trace: tokenTrace }
          : { row: r, token, done: done[r] as boolean };
      }
      if (done.every(Boolean)) return results;
    }
  } finally {
    disposeState(state);
  }
}
