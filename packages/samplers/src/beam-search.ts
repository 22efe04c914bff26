import { type SequenceModel, ShapeError } from '@seqgen/core';
import type { Tensor } from '@tensorflow/tfjs';
import { EventLoopYielder } from './event-loop.js';
import { assertBeamSearchConfig, type GenerationConfig } from './generation-config.js';
import {
  checkPrompt,
  type GeneratedSequence,
  type GenerateOptions,
  type GenerationResult,
  prepareConfig,
  withText,
} from './generation-setup.js';
import { logNormalizer, noTokenLeft } from './logits-math.js';
import { buildLogitsProcessors } from './logits-processors/build-logits-processors.js';
import { applyLogitsProcessors } from './logits-processors/logits-processor.js';
import {
  checkConditionRows,
  concatStates,
  conditionRows,
  disposeReplacedState,
  disposeState,
  gatherStateExcept,
  passedThrough,
  readLogitRows,
  readTraceRows,
  startState,
  stepModel,
} from './model-state.js';
import { createStopChecker } from './stopping-criteria.js';

interface Beam {
  tokens: number[];
  logProb: number;
  /** One traced row per token, when the call traces. */
  trace: Float32Array[] | undefined;
}

interface Candidate {
  parent: number;
  token: number;
  logProb: number;
}

/** The search of one prompt: its running beams (rows `firstRow…` of the batch) and its n-best list. */
interface PromptSearch {
  prompt: readonly number[];
  beams: Beam[];
  finished: GeneratedSequence[];
  firstRow: number;
  done: boolean;
}

/** `logProb / length ** lengthPenalty`: the beam ranking score. */
export function lengthNormalizedScore(logProb: number, length: number, lengthPenalty: number): number {
  return logProb / length ** lengthPenalty;
}

/**
 * Beam search over one prompt: {@link beamSearchBatch} with a single prompt
 * (`options.condition`, if any, has one row).
 */
export async function beamSearch<State, Condition>(
  model: SequenceModel<State, Condition>,
  promptIds: readonly number[],
  config: Partial<GenerationConfig> = {},
  options: GenerateOptions<Condition, State> = {},
): Promise<GenerationResult> {
  // Checked here so that errors name `promptIds` rather than `prompts[0]`.
  checkPrompt(promptIds, model.vocabSize);
  const [result] = await beamSearchBatch(model, [promptIds], config, options);
  return result as GenerationResult;
}

/**
 * Beam search over several prompts at once. Each prompt keeps the `numBeams`
 * best partial sequences by cumulative log-probability (after the constraint
 * processors: repetition penalty, no-repeat-ngram, banned and allowed tokens,
 * each row seeing its own prompt and tokens); all prompts' beams advance in
 * one `model.step` per token, and the recurrent state is reordered (one
 * `tf.gather` on axis 0) so each survivor continues from its parent. A state
 * tensor that `model.step` passes through unchanged (returns the very object
 * it was given, like an attention decoder's memory) is the same in every beam
 * of a prompt, so it is gathered only when the rows change: at the first
 * expansion from one row per prompt to its beams, and when a prompt leaves.
 * Finished hypotheses (stop token, stop sequence or `maxNewTokens`) are
 * ranked per prompt by {@link lengthNormalizedScore}; each result holds that
 * prompt's best `numReturnSequences`, best first. A prompt whose search is
 * over drops out of the batch. `numBeams: 1` is greedy decoding (with stop
 * tokens, together with `earlyStopping: true`; otherwise it may look past a
 * finished beam).
 *
 * Priming: prompts of equal length run through the model as one batch;
 * prompts of different lengths are primed one length group after another
 * (a recurrent state cannot be padded without changing it), and their states
 * then join one batch for decoding. A conditioned model gets
 * `options.condition` with one row per prompt; the model's state carries it
 * and the reorders copy it to every beam. With `options.trace`, every
 * sequence gets the traced row of each of its tokens, following its beam's
 * parents.
 */
export async function beamSearchBatch<State, Condition>(
  model: SequenceModel<State, Condition>,
  prompts: readonly (readonly number[])[],
  config: Partial<GenerationConfig> = {},
  options: GenerateOptions<Condition, State> = {},
): Promise<GenerationResult[]> {
  const c = prepareConfig(model, config);
  assertBeamSearchConfig(c);
  checkPrompts(prompts, model.vocabSize);
  const { signal, decode, condition, trace } = options;
  if (condition !== undefined) checkConditionRows(condition, prompts.length, 'beamSearch');
  const processors = [...buildLogitsProcessors(c, { sampling: false }), ...(options.logitsProcessors ?? [])];
  const stop = createStopChecker(c, decode);
  const width = c.numBeams;
  const addFinished = (search: PromptSearch, hyp: Omit<GeneratedSequence, 'score'>) => {
    const { finished } = search;
    const { trace: tokenTrace, ...rest } = hyp;
    const score = lengthNormalizedScore(hyp.logProb, hyp.tokens.length, c.lengthPenalty);
    finished.push(tokenTrace ? { ...rest, score, trace: tokenTrace } : { ...rest, score });
    finished.sort((a, b) => b.score - a.score);
    finished.length = Math.min(finished.length, width);
  };

  const yielder = new EventLoopYielder();
  signal?.throwIfAborted();
  const searches: PromptSearch[] = prompts.map((prompt) => ({
    prompt,
    beams: [{ tokens: [], logProb: 0, trace: trace ? [] : undefined }],
    finished: [],
    firstRow: 0,
    done: false,
  }));
  const primed = await primePrompts(model, prompts, options, yielder);
  let { state } = primed;
  try {
    let rows = primed.logits;
    let traced = primed.traced;
    primed.order.forEach((p, row) => {
      (searches[p] as PromptSearch).firstRow = row;
    });
    // The prompt of each row of `state`, and those of its tensors that are the same in every row of a prompt.
    let rowPrompt: readonly number[] = primed.order;
    let uniform = new Set<Tensor>();
    for (let step = 0; ; step++) {
      await yielder.maybeYield();
      signal?.throwIfAborted();
      const parents: number[] = [];
      const parentPrompt: number[] = [];
      const lastTokens: number[] = [];
      for (const [p, search] of searches.entries()) {
        if (search.done) continue;
        const { prompt, beams, firstRow } = search;
        const beamRows = beams.map((beam, b) =>
          applyLogitsProcessors(processors, rows[firstRow + b] as Float32Array, {
            step,
            sequence: [...prompt, ...beam.tokens],
            promptLength: prompt.length,
          }),
        );
        // Each row's log-softmax is row − logZ; only the entries topCandidates looks at are computed.
        const normalizers = beamRows.map((row) => logNormalizer(row, 'beam search'));
        // 2·width candidates: enough that `width` of them continue even if up to `width` end here.
        const candidates = topCandidates(beams, beamRows, normalizers, 2 * width);
        if (candidates.length === 0) throw noTokenLeft('beam search');
        const next: Beam[] = [];
        const nextParents: number[] = [];
        let slots = 0;
        for (const [rank, cand] of candidates.entries()) {
          if (slots >= width) break;
          const parent = beams[cand.parent] as Beam;
          const tokens = [...parent.tokens, cand.token];
          const tokenTrace = parent.trace && [...parent.trace, traced[firstRow + cand.parent] as Float32Array];
          const reason = stop(tokens);
          if (reason) {
            // A stop ranked below the beam width would only displace better running beams.
            if (rank < width)
              addFinished(search, { tokens, logProb: cand.logProb, finishReason: reason, trace: tokenTrace });
            continue;
          }
          slots++;
          if (tokens.length >= c.maxNewTokens) {
            addFinished(search, { tokens, logProb: cand.logProb, finishReason: 'length', trace: tokenTrace });
          } else {
            next.push({ tokens, logProb: cand.logProb, trace: tokenTrace });
            nextParents.push(firstRow + cand.parent);
          }
        }
        if (next.length === 0 || searchIsDone(c, search.finished, next)) {
          search.done = true;
          continue;
        }
        search.beams = next;
        search.firstRow = parents.length;
        parents.push(...nextParents);
        parentPrompt.push(...nextParents.map(() => p));
        lastTokens.push(...next.map((beam) => beam.tokens[beam.tokens.length - 1] as number));
      }
      if (parents.length === 0) break;

      // One gather keeps the running beams of every prompt (finished prompts drop out), one step advances them.
      const reordered = reorderBeams(state, parents, rowPrompt, parentPrompt, uniform);
      state = reordered.state;
      rowPrompt = parentPrompt;
      const given = state;
      const out = stepModel(model, lastTokens, given);
      state = out.state;
      // What the step passed through unchanged stays the same in every beam of a prompt; what it made may not be.
      uniform = new Set([...passedThrough(given, state)].filter((t) => reordered.uniform.has(t)));
      try {
        rows = await readLogitRows(out.logits, 'model.step');
      } finally {
        out.logits.dispose();
      }
      if (trace) traced = await readTraceRows(trace, state, lastTokens.length, 'beamSearch');
    }
  } finally {
    disposeState(state);
  }
  return searches.map((search) => ({
    sequences: search.finished.slice(0, c.numReturnSequences).map((s) => withText(s, decode)),
  }));
}

/**
 * Reorders `state` so that row r continues from row `parents[r]`, a row of the
 * same prompt (`rowPrompt` gives each current row's prompt, `parentPrompt`
 * each new row's): `gatherState`, except that a tensor the same in every row
 * of each prompt (in `uniform`, or any tensor while each prompt has one row)
 * is left as it is when the prompts keep their rows, since the gather would
 * give it back. Disposes what it replaces; returns the new state and its
 * tensors that are the same in every row of each prompt.
 */
function reorderBeams<State>(
  state: State,
  parents: readonly number[],
  rowPrompt: readonly number[],
  parentPrompt: readonly number[],
  uniform: ReadonlySet<Tensor>,
): { state: State; uniform: Set<Tensor> } {
  const oneRowEach = new Set(rowPrompt).size === rowPrompt.length;
  const isUniform = (t: Tensor) => oneRowEach || uniform.has(t);
  const sameRows = parentPrompt.length === rowPrompt.length && parentPrompt.every((p, r) => p === rowPrompt[r]);
  // Every new row of a prompt copies the same row (the first expansion to beams): all that is gathered is uniform.
  const copiesOneRow = parents.every(
    (parent, r) => parentPrompt[r] !== parentPrompt[r - 1] || parent === parents[r - 1],
  );
  const next = new Set<Tensor>();
  const reordered = gatherStateExcept(
    state,
    parents,
    (t) => {
      const keep = sameRows && isUniform(t);
      if (keep) next.add(t);
      return keep;
    },
    (from, to) => {
      if (copiesOneRow || isUniform(from)) next.add(to);
    },
  );
  disposeReplacedState(state, reordered);
  return { state: reordered, uniform: next };
}

function checkPrompts(prompts: readonly (readonly number[])[], vocabSize: number): void {
  if (!Array.isArray(prompts) || prompts.length === 0) {
    throw new ShapeError(
      'prompts',
      'a non-empty array of token-id arrays',
      Array.isArray(prompts) ? '[]' : typeof prompts,
    );
  }
  for (const [i, p] of prompts.entries()) checkPrompt(p, vocabSize, `prompts[${i}]`);
}

/** The batch after the prompts: its state, its logits and traced rows, and which prompt each row is. */
interface Primed<State> {
  state: State;
  logits: Float32Array[];
  traced: Float32Array[];
  order: number[];
}

/**
 * Runs the prompts through the model, one batch per prompt length, and
 * joins the groups' states (rows in `order`). Everything made here is
 * disposed if it throws.
 */
async function primePrompts<State, Condition>(
  model: SequenceModel<State, Condition>,
  prompts: readonly (readonly number[])[],
  options: GenerateOptions<Condition, State>,
  yielder: EventLoopYielder,
): Promise<Primed<State>> {
  const { condition, signal, trace } = options;
  const groups = new Map<number, number[]>();
  prompts.forEach((p, i) => {
    groups.set(p.length, [...(groups.get(p.length) ?? []), i]);
  });
  const states: State[] = [];
  const logits: Float32Array[] = [];
  const traced: Float32Array[] = [];
  const order: number[] = [];
  try {
    for (const members of groups.values()) {
      const whole = members.length === prompts.length;
      // A group's own condition rows; the whole batch uses the caller's condition as it is.
      const groupCondition = condition === undefined || whole ? condition : conditionRows(condition, members);
      let state: State;
      try {
        state = startState(model, members.length, groupCondition, 'beamSearch');
      } finally {
        if (groupCondition !== condition) disposeState(groupCondition);
      }
      states.push(state);
      const length = (prompts[members[0] as number] as readonly number[]).length;
      for (let t = 0; t < length; t++) {
        await yielder.maybeYield();
        signal?.throwIfAborted();
        const out = stepModel(
          model,
          members.map((p) => (prompts[p] as readonly number[])[t] as number),
          state,
        );
        state = out.state;
        states[states.length - 1] = state;
        try {
          if (t === length - 1) logits.push(...(await readLogitRows(out.logits, 'model.step')));
        } finally {
          out.logits.dispose();
        }
      }
      if (trace) traced.push(...(await readTraceRows(trace, state, members.length, 'beamSearch')));
      order.push(...members);
    }
    if (states.length === 1) return { state: states[0] as State, logits, traced, order };
    const joined = concatStates(states);
    for (const s of states) disposeState(s);
    return { state: joined, logits, traced, order };
  } catch (error) {
    for (const s of states) disposeState(s);
    throw error;
  }
}

/**
 * Whether the n-best list is final. With `earlyStopping` it is as soon as it
 * is full. Without, only when no running beam can still beat its worst entry:
 * log-probs only fall as tokens are added, so a beam's best possible score is
 * its current log-prob over the most favourable length it can still reach.
 */
function searchIsDone(c: GenerationConfig, finished: readonly GeneratedSequence[], running: readonly Beam[]): boolean {
  if (finished.length < c.numBeams) return false;
  if (c.earlyStopping) return true;
  const worst = (finished[finished.length - 1] as GeneratedSequence).score;
  const length = (running[0] as Beam).tokens.length;
  const bestLength = c.lengthPenalty > 0 ? c.maxNewTokens : length + 1;
  const bestPossible = Math.max(...running.map((b) => lengthNormalizedScore(b.logProb, bestLength, c.lengthPenalty)));
  return bestPossible <= worst;
}

/**
 * The `k` best (beam, token) extensions, best first; ties keep the lower beam, then the lower token id. A token's
 * log-probability is `rows[beam][token] − logZ[beam]` (the log-softmax, in float64, as `logSoftmax` computes it).
 */
function topCandidates(
  beams: readonly Beam[],
  rows: readonly Float32Array[],
  logZ: readonly number[],
  k: number,
): Candidate[] {
  const best: Candidate[] = [];
  beams.forEach((beam, parent) => {
    const row = rows[parent] as Float32Array;
    const z = logZ[parent] as number;
    if (z === Number.NEGATIVE_INFINITY) return; // every token masked
    for (let token = 0; token < row.length; token++) {
      const logProb = beam.logProb + ((row[token] as number) - z);
      if (logProb === Number.NEGATIVE_INFINITY) continue;
      if (best.length === k && logProb <= (best[k - 1] as Candidate).logProb) continue;
      let at = best.length;
      while (at > 0 && (best[at - 1] as Candidate).logProb < logProb) at--;
      best.splice(at, 0, { parent, token, logProb });
      if (best.length > k) best.pop();
    }
  });
  return best;
}
