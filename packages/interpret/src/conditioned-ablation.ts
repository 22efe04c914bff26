import { ShapeError } from '@seqgen/core';
import * as tf from '@tensorflow/tfjs';
import { checkConditionedInput, type TraceableConditionedModel } from './trace-conditioned-lm.js';
import { nextTokenLogProbs } from './trace-language-model.js';
import {
  type AblatableWeights,
  type AblatedUnits,
  type AblationEffect,
  compareLosses,
  withUnitsZeroed,
} from './unit-ablation.js';

/** A conditioned model (`ConditionedLanguageModel`) whose units can be ablated. */
export type AblatableConditionedModel = TraceableConditionedModel & AblatableWeights;

/**
 * `ablationEffect` for a conditioned model: its loss predicting each
 * next token of `ids` (read with `conditions`, one per token) where `holds`
 * is non-zero versus elsewhere, intact and with `ablated` zeroed. `holds` of
 * another length than `ids` is a ShapeError.
 */
export function conditionedAblationEffect(
  model: AblatableConditionedModel,
  ids: ArrayLike<number>,
  conditions: ArrayLike<number>,
  ablated: AblatedUnits,
  holds: ArrayLike<number | boolean>,
): AblationEffect {
  const context = 'conditionedAblationEffect';
  const { tokens, conds } = checkConditionedInput(model, ids, conditions, context);
  if (tokens.length < 2)
    throw new ShapeError('ids', 'at least two tokens (one prediction)', `${tokens.length}`, context);
  if (holds === null || typeof holds !== 'object' || holds.length !== tokens.length) {
    throw new ShapeError('holds', `${tokens.length} values (one per token)`, String(holds?.length), context);
  }
  const T = tokens.length;
  const losses = () =>
    tf.tidy(() => {
      const logits = model.forward(tf.tensor2d(tokens, [1, T], 'int32'), tf.tensor2d(conds, [1, T], 'int32')).logits;
      return nextTokenLogProbs(logits, tokens);
    });
  return compareLosses(losses(), withUnitsZeroed(model, ablated, losses), holds);
}
