import { assertPositiveInteger, ConfigError, ShapeError } from '@seqgen/core';
import * as tf from '@tensorflow/tfjs';
import { checkIds, type TraceableLanguageModel } from './trace-language-model.js';

/** A language model whose input embeddings saliency can differentiate through. */
export type EmbeddableLanguageModel = TraceableLanguageModel & {
  /** Weights by name; `embedding` `[vocabSize, embeddingSize]` is the input table. */
  readonly variables: Record<string, tf.Variable>;
};

/** Which output to explain: the log-probability of `token` at output step `position`. */
export type SaliencyTarget = {
  /** Output step (0-based): the prediction made after reading ids[0..position]. */
  position: number;
  /** The token whose log-probability is explained (default: the next input token, else the most likely one). */
  token?: number;
};

/** Per-input-token attributions of one output's log-probability. */
export type TokenAttributions = {
  /** One attribution per input token (summed over the embedding dimensions). */
  attributions: Float32Array;
  /** The explained value f(x): log p(token) at `position`, in nats. */
  output: number;
  /** The explained token. */
  token: number;
  /** The output step explained. */
  position: number;
};

/** Integrated gradients: {@link TokenAttributions} plus the baseline's output and the completeness gap. */
export type IntegratedGradients = TokenAttributions & {
  /** f(baseline). */
  baselineOutput: number;
  /** Σ attributions − (f(x) − f(baseline)): near zero when `steps` is large enough (completeness, Sundararajan et al. 2017). */
  completenessGap: number;
};

/** Options of {@link integratedGradients}. */
export type IntegratedGradientsOptions = {
  /** Points on the straight path from baseline to input (midpoint rule; default 32). */
  steps?: number;
  /** Baseline embeddings: `'zeros'` (default) or a token id whose embedding stands at every position (e.g. a pad token). */
  baseline?: 'zeros' | BaselineToken;
};

/** A baseline made of one token's embedding at every position. */
export type BaselineToken = {
  /** The token id (e.g. the pad token). */
  token: number;
};

/**
 * Gradient × input: for each input token, the gradient of the target's
 * log-probability with respect to that token's embedding, dotted with the
 * embedding. One forward and one backward pass.
 */
export function gradientTimesInput(
  model: EmbeddableLanguageModel,
  ids: ArrayLike<number>,
  target: SaliencyTarget,
): TokenAttributions {
  const context = 'gradientTimesInput';
  const { tokens, position, token, table } = prepare(model, ids, target, context);
  return tf.tidy(() => {
    const x = inputEmbeddings(table, tokens);
    const f = (e: tf.Tensor) => targetLogProb(model, tokens, e as tf.Tensor3D, position, token);
    const { value, grad } = tf.valueAndGrad(f)(x);
    const attributions = tf.sum(tf.mul(grad, x), 2).dataSync() as Float32Array;
    return { attributions, output: value.dataSync()[0] as number, token, position };
  });
}

/**
 * Integrated gradients (Sundararajan, Taly & Yan 2017) over the input
 * embeddings: (x − x′) × the mean gradient at `steps` points between the
 * baseline x′ and the input x, summed per token. All points run as one batch.
 */
export function integratedGradients(
  model: EmbeddableLanguageModel,
  ids: ArrayLike<number>,
  target: SaliencyTarget,
  options: IntegratedGradientsOptions = {},
): IntegratedGradients {
  const context = 'integratedGradients';
  const steps = options.steps ?? 32;
  assertPositiveInteger('steps', steps);
  const { tokens, position, token, table } = prepare(model, ids, target, context);
  const baseline = options.baseline ?? 'zeros';
  if (baseline !== 'zeros') {
    if (typeof baseline !== 'object' || baseline === null) {
      throw new ConfigError('baseline', `must be 'zeros' or { token }, got ${String(baseline)}`);
    }
    checkIds([baseline.token], model.vocabSize, `${context}: baseline.token`);
  }
  return tf.tidy(() => {
    const x = inputEmbeddings(table, tokens);
    const x0 =
      baseline === 'zeros'
        ? tf.zerosLike(x)
        : inputEmbeddings(
            table,
            tokens.map(() => baseline.token),
          );
    const delta = tf.sub(x, x0);
    // Midpoint rule: alphas (k + ½)/m, error O(1/m²) for smooth paths.
    const alphas = tf.tensor3d(
      Array.from({ length: steps }, (_, k) => (k + 0.5) / steps),
      [steps, 1, 1],
    );
    const path = tf.add(x0, tf.mul(alphas, delta)) as tf.Tensor3D;
    const batchIds = Array.from({ length: steps }, () => tokens);
    const sumOverPath = (e: tf.Tensor) => targetLogProb(model, batchIds, e as tf.Tensor3D, position, token, true);
    const grads = tf.grad(sumOverPath)(path);
    const meanGrad = tf.div(tf.sum(grads, 0, true), steps);
    const attributions = tf.sum(tf.mul(meanGrad, delta), 2).dataSync() as Float32Array;
    const output = targetLogProb(model, [tokens], x, position, token).dataSync()[0] as number;
    const baselineOutput = targetLogProb(model, [tokens], x0, position, token).dataSync()[0] as number;
    const total = attributions.reduce((a, b) => a + b, 0);
    return {
      attributions,
      output,
      baselineOutput,
      completenessGap: total - (output - baselineOutput),
      token,
      position,
    };
  });
}

function prepare(
  model: EmbeddableLanguageModel,
  ids: ArrayLike<number>,
  target: SaliencyTarget,
  context: string,
): { tokens: number[]; position: number; token: number; table: tf.Tensor2D } {
  const tokens = checkIds(ids, model?.vocabSize, context);
  const table = model.variables?.embedding;
  if (!(table instanceof tf.Tensor) || table.rank !== 2) {
    throw new ConfigError(
      'model',
      'has no `embedding` variable [vocabSize, embeddingSize]: saliency needs input embeddings',
    );
  }
  const position = target?.position;
  if (!Number.isInteger(position) || position < 0 || position >= tokens.length) {
    throw new ShapeError('target.position', `an integer in [0, ${tokens.length})`, String(position), context);
  }
  let token = target.token;
  if (token === undefined)
    token = position + 1 < tokens.length ? (tokens[position + 1] as number) : mostLikely(model, tokens, position);
  else checkIds([token], model.vocabSize, `${context}: target.token`);
  return { tokens, position, token, table: table as tf.Tensor2D };
}

function mostLikely(model: TraceableLanguageModel, tokens: number[], position: number): number {
  return tf.tidy(() => {
    const logits = model.forward(tf.tensor2d(tokens, [1, tokens.length], 'int32')).logits;
    return tf.argMax(tf.slice(logits, [0, position, 0], [1, 1, -1]).flatten()).dataSync()[0] as number;
  });
}

function inputEmbeddings(table: tf.Tensor2D, tokens: number[]): tf.Tensor3D {
  return tf.expandDims(tf.gather(table, tf.tensor1d(tokens, 'int32')), 0) as tf.Tensor3D;
}

/** log p(token) at `position` for each row of `e` (summed over rows when `sum`), as a scalar. */
function targetLogProb(
  model: TraceableLanguageModel,
  rows: number[] | number[][],
  e: tf.Tensor3D,
  position: number,
  token: number,
  sum = false,
): tf.Scalar {
  const batch = (Array.isArray(rows[0]) ? rows : [rows]) as number[][];
  const ids = tf.tensor2d(batch, [batch.length, (batch[0] as number[]).length], 'int32');
  const logits = model.forward(ids, { inputEmbeddings: e }).logits;
  const at = tf.slice(logits, [0, position, 0], [-1, 1, -1]).reshape([batch.length, -1]);
  const logp = tf.slice(tf.logSoftmax(at), [0, token], [-1, 1]);
  return (sum ? tf.sum(logp) : tf.reshape(tf.slice(logp, [0, 0], [1, 1]), [])) as tf.Scalar;
}
