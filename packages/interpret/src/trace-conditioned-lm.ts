import { ConfigError, ShapeError } from '@seqgen/core';
import * as tf from '@tensorflow/tfjs';
import type { LayerTrace, SequenceTrace } from './sequence-trace.js';
import { checkIds, nextTokenLogProbs, type TracedModelConfig } from './trace-language-model.js';

/**
 * What tracing needs of a conditioned language model (`@seqgen/models`'
 * `ConditionedLanguageModel`, e.g. chord-conditioned music):
 * `forward(ids, conditions, { trace: true })` returning per-layer traces.
 */
export type TraceableConditionedModel = {
  /** Vocabulary size: ids must be below it. */
  readonly vocabSize: number;
  /** Conditioning vocabulary size: conditions must be below it. */
  readonly conditionVocabSize: number;
  /** The model's config; `cell` names the traced layers' cell type. */
  readonly config: TracedModelConfig;
  /** Teacher-forced pass over ids and their conditioning ids, both `[B, T]`. */
  forward(ids: tf.Tensor2D, conditions: tf.Tensor2D, options?: ConditionedForwardTraceOptions): TracedLogits;
};

/** The options of a conditioned model's `forward` that interpretation passes. */
export type ConditionedForwardTraceOptions = {
  /** Return every layer's per-step gates and states. */
  trace?: boolean;
  /** Run on these token embeddings `[B, T, E]` instead of looking the ids up. */
  inputEmbeddings?: tf.Tensor3D;
  /** Run on these conditioning embeddings `[B, T, E_c]` instead of looking the conditions up. */
  conditionEmbeddings?: tf.Tensor3D;
};

/** What interpretation reads of a `forward` result: logits and, when asked, the trace. */
export type TracedLogits = {
  /** Next-token logits `[B, T, V]`. */
  logits: tf.Tensor3D;
  /** With `trace: true`: per layer, each traced quantity `[B, T, size]`. */
  trace?: Array<Record<string, tf.Tensor>>;
};

/** A {@link SequenceTrace} of a conditioned model, with the conditioning id read at each step. */
export type ConditionedSequenceTrace = SequenceTrace & {
  /** The conditioning id read with each token (e.g. the chord of each event). */
  conditions: number[];
};

/**
 * Runs a conditioned language model over `ids` with `conditions` (one id per
 * token) once with its cells' tracing on: per layer every gate and state per
 * step, and the log-probability of each next token. A model whose `forward`
 * returns no trace is a ConfigError; empty or out-of-range ids or
 * conditions, or conditions of another length, a ShapeError.
 */
export function traceConditionedLanguageModel(
  model: TraceableConditionedModel,
  ids: ArrayLike<number>,
  conditions: ArrayLike<number>,
): ConditionedSequenceTrace {
  const context = 'traceConditionedLanguageModel';
  const { tokens, conds } = checkConditionedInput(model, ids, conditions, context);
  return tf.tidy(() => {
    const T = tokens.length;
    const result = model.forward(tf.tensor2d(tokens, [1, T], 'int32'), tf.tensor2d(conds, [1, T], 'int32'), {
      trace: true,
    });
    if (!Array.isArray(result.trace) || result.trace.length === 0) {
      throw new ConfigError(
        'model',
        'returned no trace from forward(ids, conditions, { trace: true }): it does not pass tracing through to its recurrent layers',
      );
    }
    const cell = model.config?.cell ?? 'unknown';
    const layers: LayerTrace[] = result.trace.map((layer) => {
      const quantities: LayerTrace['quantities'] = {};
      for (const [name, t] of Object.entries(layer)) {
        quantities[name] = { size: t.shape[t.shape.length - 1] as number, values: t.dataSync() as Float32Array };
      }
      return { cell, quantities };
    });
    return {
      tokens,
      conditions: conds,
      steps: T,
      layers,
      nextTokenLogProbs: nextTokenLogProbs(result.logits, tokens),
    };
  });
}

/** Checks ids and conditions of a conditioned model: both non-empty, in range, of one length. */
export function checkConditionedInput(
  model: TraceableConditionedModel,
  ids: ArrayLike<number>,
  conditions: ArrayLike<number>,
  context: string,
): { tokens: number[]; conds: number[] } {
  if (typeof model?.forward !== 'function') {
    throw new ConfigError('model', 'has no forward(ids, conditions, options): it is not a seqgen conditioned model');
  }
  const tokens = checkIds(ids, model.vocabSize, context);
  let conds: number[];
  try {
    conds = checkIds(conditions, model.conditionVocabSize, context);
  } catch (error) {
    // Name the argument as the caller knows it.
    if (error instanceof ShapeError) {
      throw new ShapeError(error.argument.replace(/^ids/, 'conditions'), error.expected, error.actual, context);
    }
    throw error;
  }
  if (conds.length !== tokens.length) {
    throw new ShapeError('conditions', `${tokens.length} ids (one per token)`, `${conds.length}`, context);
  }
  return { tokens, conds };
}
