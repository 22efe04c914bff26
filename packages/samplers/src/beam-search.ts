import type { SequenceModel } from '@seqgen/core';
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
import { assertNoNaN, logSoftmax, noTokenLeft } from './logits-math.js';
import { buildLogitsProcessors } from './logits-processors/build-logits-processors.js';
import { applyLogitsProcessors } from './logits-processors/logits-processor.js';
import {
  disposeReplacedState,
  disposeState,
  gatherState,
  readLogitRows,
  startState,
  stepModel,
} from './model-state.js';
import { createStopChecker } from './stopping-criteria.js';

interface Beam {
  tokens: number[];
  logProb: number;
}

interface Candidate {
  parent: number;
  token: number;
  logProb: number;
}

/** `logProb / length ** lengthPenalty`: the beam ranking score. */
export function lengthNormalizedScore(logProb: number, length: number, lengthPenalty: number): number {
  return logProb / length ** lengthPenalty;
}

/**
 * Beam search over one prompt: keeps the `numBeams` best partial sequences by
 * cumulative log-probability (after the constraint processors: repetition
 * penalty, no-repeat-ngram, banned and allowed tokens), steps all beams as
 * one batch, and reorders the recurrent state so each survivor continues from
 * its parent (`tf.gather` on axis 0). Finished hypotheses (stop token, stop
 * sequence or `maxNewTokens`) are ranked by {@link lengthNormalizedScore};
 * the best `numReturnSequences` are returned, best first. Works with
 * `numBeams: 1` too, which is greedy decoding (with stop tokens, together
 * with `earlyStopping: true`; otherwise it may look past a finished beam).
 * A conditioned model gets `options.condition` (one row), which the first
 * reorder copies to every beam with the rest of the state.
 */
export async function beamSearch<State, Condition>(
  model: SequenceModel<State, Condition>,
  promptIds: readonly number[],
  config: Partial<GenerationConfig> = {},
  options: GenerateOptions<Condition> = {},
): Promise<GenerationResult> {
  const c = prepareConfig(model, config);
  assertBeamSearchConfig(c);
  checkPrompt(promptIds, model.vocabSize);
  const { signal, decode } = options;
  const processors = [...buildLogitsProcessors(c, { sampling: false }), ...(options.logitsProcessors ?? [])];
  const stop = createStopChecker(c, decode);
  const width = c.numBeams;
  const finished: GeneratedSequence[] = [];
  const addFinished = (hyp: Omit<GeneratedSequence, 'score'>) => {
    finished.push({ ...hyp, score: lengthNormalizedScore(hyp.logProb, hyp.tokens.length, c.lengthPenalty) });
    finished.sort((a, b) => b.score - a.score);
    finished.length = Math.min(finished.length, width);
  };

  const yielder = new EventLoopYielder();
  signal?.throwIfAborted();
  // The prompt runs once with batch 1; the first gather then copies its state to every beam.
  let state = startState(model, 1, options.condition, 'beamSearch');
  try {
    let rows: Float32Array[] = [];
    for (let t = 0; t < promptIds.length; t++) {
      await yielder.maybeYield();
      signal?.throwIfAborted();
      const out = stepModel(model, [promptIds[t] as number], state);
      state = out.state;
      try {
        if (t === promptIds.length - 1) rows = await readLogitRows(out.logits, 'model.step');
      } finally {
        out.logits.dispose();
      }
    }
    let beams: Beam[] = [{ tokens: [], logProb: 0 }];
    for (;;) {
      await yielder.maybeYield();
      signal?.throwIfAborted();
      const step = (beams[0] as Beam).tokens.length;
      const logProbs = beams.map((beam, b) => {
        const row = applyLogitsProcessors(processors, rows[b] as Float32Array, {
          step,
          sequence: [...promptIds, ...beam.tokens],
          promptLength: promptIds.length,
        });
        assertNoNaN(row, 'beam search');
        return logSoftmax(row);
      });
      // 2·width candidates: enough that `width` of them continue even if up to `width` end here.
      const candidates = topCandidates(beams, logProbs, 2 * width);
      if (candidates.length === 0) throw noTokenLeft('beam search');
      const next: Beam[] = [];
      const parents: number[] = [];
      let slots = 0;
      for (const [rank, cand] of candidates.entries()) {
        if (slots >= width) break;
        const tokens = [...(beams[cand.parent] as Beam).tokens, cand.token];
        const reason = stop(tokens);
        if (reason) {
          // A stop ranked below the beam width would only displace better running beams.
          if (rank < width) addFinished({ tokens, logProb: cand.logProb, finishReason: reason });
          continue;
        }
        slots++;
        if (tokens.length >= c.maxNewTokens) addFinished({ tokens, logProb: cand.logProb, finishReason: 'length' });
        else {
          next.push({ tokens, logProb: cand.logProb });
          parents.push(cand.parent);
        }
      }
      if (next.length === 0 || searchIsDone(c, finished, next)) break;

      const reordered = gatherState(state, parents);
      disposeReplacedState(state, reordered);
      state = reordered;
      const out = stepModel(
        model,
        next.map((beam) => beam.tokens[beam.tokens.length - 1] as number),
        state,
      );
      state = out.state;
      try {
        rows = await readLogitRows(out.logits, 'model.step');
      } finally {
        out.logits.dispose();
      }
      beams = next;
    }
  } finally {
    disposeState(state);
  }
  return { sequences: finished.slice(0, c.numReturnSequences).map((s) => withText(s, decode)) };
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

/** The `k` best (beam, token) extensions, best first; ties keep the lower beam, then the lower token id. */
function topCandidates(beams: readonly Beam[], logProbs: readonly Float64Array[], k: number): Candidate[] {
  const best: Candidate[] = [];
  beams.forEach((beam, parent) => {
    const row = logProbs[parent] as Float64Array;
    for (let token = 0; token < row.length; token++) {
      const logProb = beam.logProb + (row[token] as number);
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
