import { assertPositiveInteger, ConfigError, ShapeError } from '@seqgen/core';
import * as tf from '@tensorflow/tfjs';
import { completenessGap, gradientTimesInputOf, integrateAlongPath, perStep } from './path-integral.js';
import type { IntegratedGradients, SaliencyTarget, TokenAttributions } from './saliency.js';
import { checkConditionedInput, type TraceableConditionedModel } from './trace-conditioned-lm.js';
import { checkIds } from './trace-language-model.js';

/** A conditioned model whose token and conditioning embeddings saliency can differentiate through. */
export type EmbeddableConditionedModel = TraceableConditionedModel & {
  /** Weights by name: `embedding` `[vocabSize, E]` and `conditionEmbedding` `[conditionVocabSize, E_c]`. */
  readonly variables: Record<string, tf.Variable>;
};

/** Which input of a conditioned model the attributions are over. */
export type ConditionedSaliencyInput = 'tokens' | 'conditions';

/** Options of {@link conditionedGradientTimesInput}. */
export type ConditionedSaliencyOptions = {
  /** Attribute to the tokens read (default) or to the conditioning ids (e.g. which chords mattered). */
  over?: ConditionedSaliencyInput;
};

/** Options of {@link conditionedIntegratedGradients}. */
export type ConditionedIntegratedGradientsOptions = ConditionedSaliencyOptions & {
  /** Points on the straight path from the zero baseline to the input (midpoint rule; default 32). */
  steps?: number;
};

/**
 * Gradient × input of a conditioned model (`ConditionedLanguageModel`): per
 * step, the gradient of log p(target token at `position`) with respect to
 * that step's token embedding (or conditioning embedding, `over:
 * 'conditions'`), dotted with the embedding.
 */
export function conditionedGradientTimesInput(
  model: EmbeddableConditionedModel,
  ids: ArrayLike<number>,
  conditions: ArrayLike<number>,
  target: SaliencyTarget,
  options: ConditionedSaliencyOptions = {},
): TokenAttributions {
  const s = prepare(model, ids, conditions, target, options, 'conditionedGradientTimesInput');
  return tf.tidy(() => {
    const { attributions, output } = gradientTimesInputOf(s.objective, s.input());
    return { attributions: perStep(attributions), output, token: s.token, position: s.position };
  });
}

/**
 * Integrated gradients (Sundararajan et al. 2017) of a conditioned model
 * over its token embeddings or, with `over: 'conditions'`, its conditioning
 * embeddings, from a zero baseline, the other input held as it is: one
 * attribution per step, which sum to f(x) − f(baseline) up to
 * `completenessGap`. All path points run as one batch.
 */
export function conditionedIntegratedGradients(
  model: EmbeddableConditionedModel,
  ids: ArrayLike<number>,
  conditions: ArrayLike<number>,
  target: SaliencyTarget,
  options: ConditionedIntegratedGradientsOptions = {},
): IntegratedGradients {
  const steps = options.steps ?? 32;
  assertPositiveInteger('steps', steps);
  const s = prepare(model, ids, conditions, target, options, 'conditionedIntegratedGradients');
  return tf.tidy(() => {
    const input = s.input();
    const path = integrateAlongPath(s.objective, input, tf.zerosLike(input), steps);
    const attributions = perStep(path.attributions);
    return {
      attributions,
      output: path.output,
      baselineOutput: path.baselineOutput,
      completenessGap: completenessGap(attributions, path.output, path.baselineOutput),
      token: s.token,
      position: s.position,
    };
  });
}

type Prepared = {
  /** Embeddings of the attributed input `[1, T, E]`: call inside the caller's tidy. */
  input: () => tf.Tensor3D;
  objective: (e: tf.Tensor) => tf.Scalar;
  position: number;
  token: number;
};

function prepare(
  model: EmbeddableConditionedModel,
  ids: ArrayLike<number>,
  conditions: ArrayLike<number>,
  target: SaliencyTarget,
  options: ConditionedSaliencyOptions,
  context: string,
): Prepared {
  const { tokens, conds } = checkConditionedInput(model, ids, conditions, context);
  const over = options.over ?? 'tokens';
  if (over !== 'tokens' && over !== 'conditions') {
    throw new ConfigError('over', `must be 'tokens' or 'conditions', got ${String(over)}`);
  }
  const name = over === 'tokens' ? 'embedding' : 'conditionEmbedding';
  const table = model.variables?.[name];
  if (!(table instanceof tf.Tensor) || table.rank !== 2) {
    throw new ConfigError('model', `has no \`${name}\` variable: saliency needs the input embeddings`);
  }
  const T = tokens.length;
  const position = target?.position;
  if (!Number.isInteger(position) || position < 0 || position >= T) {
    throw new ShapeError('target.position', `an integer in [0, ${T})`, String(position), context);
  }
  const run = (batch: number, embeddings: tf.Tensor) => {
    const rows = (values: number[]) =>
      tf.tensor2d(
        Array.from({ length: batch }, () => values),
        [batch, T],
        'int32',
      );
    const key = over === 'tokens' ? 'inputEmbeddings' : 'conditionEmbeddings';
    return model.forward(rows(tokens), rows(conds), { [key]: embeddings as tf.Tensor3D }).logits;
  };
  let token = target.token;
  if (token === undefined) {
    token =
      position + 1 < T
        ? (tokens[position + 1] as number)
        : tf.tidy(() => {
            const logits = model.forward(
              tf.tensor2d(tokens, [1, T], 'int32'),
              tf.tensor2d(conds, [1, T], 'int32'),
            ).logits;
            return tf.argMax(tf.slice(logits, [0, position, 0], [1, 1, -1]).flatten()).dataSync()[0] as number;
          });
  } else checkIds([token], model.vocabSize, `${context}: target.token`);
  const explained = token;
  const objective = (e: tf.Tensor): tf.Scalar => {
    const batch = e.shape[0] as number;
    const at = tf.reshape(tf.slice(run(batch, e), [0, position, 0], [-1, 1, -1]), [batch, -1]);
    return tf.sum(tf.slice(tf.logSoftmax(at), [0, explained], [-1, 1])) as tf.Scalar;
  };
  const input = () =>
    tf.expandDims(
      tf.gather(table as tf.Tensor2D, tf.tensor1d(over === 'tokens' ? tokens : conds, 'int32')),
      0,
    ) as tf.Tensor3D;
  return { input, objective, position, token };
}
