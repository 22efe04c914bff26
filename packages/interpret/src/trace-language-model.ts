import { ConfigError, ShapeError } from '@seqgen/core';
import * as tf from '@tensorflow/tfjs';
import type { LayerTrace, SequenceTrace } from './sequence-trace.js';

/**
 * What tracing needs of a language model: `forward(ids, { trace: true })`
 * returning per-layer traces (`@seqgen/models`' `RecurrentLanguageModel`
 * does), its vocabulary and cell type.
 */
export type TraceableLanguageModel = {
  /** Vocabulary size: ids must be below it. */
  readonly vocabSize: number;
  /** The model's config; `cell` names the traced layers' cell type. */
  readonly config: TracedModelConfig;
  /** Teacher-forced pass; with `trace: true` it must return `trace`, per layer `[B, T, size]` tensors. */
  forward(ids: tf.Tensor2D, options?: TracedForwardOptions): TracedForwardResult;
};

/** What tracing reads of a model's config. */
export type TracedModelConfig = {
  /** Cell type of the recurrent layers (`lstm`, `gru`, `rnn`). */
  readonly cell?: string;
};

/** The options of `forward` that interpretation passes. */
export type TracedForwardOptions = {
  /** Return every layer's per-step gates and states. */
  trace?: boolean;
  /** Run on these input embeddings `[B, T, E]` instead of looking the ids up. */
  inputEmbeddings?: tf.Tensor3D;
};

/** What interpretation reads of `forward`'s result. */
export type TracedForwardResult = {
  /** Next-token logits `[B, T, V]`. */
  logits: tf.Tensor3D;
  /** With `trace: true`: per layer, each traced quantity `[B, T, size]`. */
  trace?: Array<Record<string, tf.Tensor>>;
};

/**
 * Runs `model` over `ids` once with its cells' tracing on and copies every
 * layer's per-step gates and states (and the log-probability of each next
 * token) to host memory. A model whose `forward` returns no trace is a
 * ConfigError; an empty or out-of-vocabulary `ids` a ShapeError.
 */
export function traceLanguageModel(model: TraceableLanguageModel, ids: ArrayLike<number>): SequenceTrace {
  const tokens = checkIds(ids, model.vocabSize, 'traceLanguageModel');
  if (typeof model?.forward !== 'function') {
    throw new ConfigError('model', 'has no forward(ids, options): it is not a seqgen language model');
  }
  return tf.tidy(() => {
    const input = tf.tensor2d(tokens, [1, tokens.length], 'int32');
    const result = model.forward(input, { trace: true });
    if (!Array.isArray(result.trace) || result.trace.length === 0) {
      throw new ConfigError(
        'model',
        'returned no trace from forward(ids, { trace: true }): it does not pass tracing through to its recurrent layers',
      );
    }
    const cell = model.config?.cell ?? 'unknown';
    const layers: LayerTrace[] = result.trace.map((layer) => {
      const quantities: LayerTrace['quantities'] = {};
      for (const [name, t] of Object.entries(layer)) {
        const size = t.shape[t.shape.length - 1] as number;
        quantities[name] = { size, values: t.dataSync() as Float32Array };
      }
      return { cell, quantities };
    });
    return { tokens, steps: tokens.length, layers, nextTokenLogProbs: nextTokenLogProbs(result.logits, tokens) };
  });
}

/** log p(tokens[t + 1] | prefix) for t < T − 1, from logits `[1, T, V]`. */
export function nextTokenLogProbs(logits: tf.Tensor3D, tokens: readonly number[]): Float32Array {
  const T = tokens.length;
  if (T < 2) return new Float32Array(0);
  return tf.tidy(() => {
    const logp = tf.logSoftmax(tf.slice(logits, [0, 0, 0], [1, T - 1, -1]).reshape([T - 1, -1]));
    const picked = tf.mul(logp, tf.oneHot(tf.tensor1d(tokens.slice(1), 'int32'), logp.shape[1] as number));
    return tf.sum(picked, 1).dataSync() as Float32Array;
  });
}

/** Checks token ids: a non-empty array of integers in [0, vocabSize). Returns them as a plain array. */
export function checkIds(ids: ArrayLike<number>, vocabSize: number, context: string): number[] {
  if (ids === null || typeof ids !== 'object' || typeof ids.length !== 'number') {
    throw new ShapeError('ids', 'an array of token ids', typeof ids, context);
  }
  if (ids.length === 0) throw new ShapeError('ids', 'at least one token id', 'none (empty input)', context);
  const out = Array.from(ids);
  out.forEach((id, t) => {
    if (!Number.isInteger(id) || id < 0 || id >= vocabSize) {
      throw new ShapeError(`ids[${t}]`, `an integer in [0, ${vocabSize})`, String(id), context);
    }
  });
  return out;
}
