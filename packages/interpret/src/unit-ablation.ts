import { ConfigError, ShapeError } from '@seqgen/core';
import * as tf from '@tensorflow/tfjs';
import { checkIds, nextTokenLogProbs, type TraceableLanguageModel } from './trace-language-model.js';

/**
 * What zeroing units reads of a model: its config and named weights, as
 * `RecurrentLanguageModel` and `ConditionedLanguageModel` hold them.
 */
export type AblatableWeights = {
  /** Cell, layer count and projection, as `RecurrentLanguageModel.config` holds them. */
  readonly config: AblatableModelConfig;
  /** Weights by name: `rnn/layers.{l}/recurrentKernel`, `rnn/layers.{l}/kernel`, `output/kernel`. */
  readonly variables: Record<string, tf.Variable>;
};

/** A language model whose units can be ablated: its config and named weights. */
export type AblatableLanguageModel = TraceableLanguageModel & AblatableWeights;

/** What ablation reads of a model's config. */
export type AblatableModelConfig = {
  /** Cell type: ablation is exact for `lstm` and `rnn`. */
  readonly cell?: string;
  /** Recurrent layers (default 1). */
  readonly numLayers?: number;
  /** Hidden units per layer. */
  readonly hiddenSize?: number;
  /** LSTM projection size; ablation needs none (null or absent). */
  readonly projSize?: number | null;
};

/** The units to zero: layer index and unit indices within its hidden state. */
export type AblatedUnits = {
  /** Layer index, 0 = bottom. */
  layer: number;
  /** Hidden units to zero. */
  units: readonly number[];
};

/**
 * Runs `fn` with hidden units zeroed wherever the model reads them: the rows
 * of the layer's recurrent kernel and of the next layer's input kernel (or
 * the output projection, for the top layer) that multiply those units are
 * set to zero, then restored when `fn` returns or throws. The same model
 * object runs, no copy. For LSTM and vanilla RNN cells this is exactly
 * h_j = 0 at every step (the cell state c_j only reaches the network through
 * h_j); a GRU carries h_j into itself elementwise (z·h), so it is refused, as
 * are LSTM projections and a tied output head (whose rows are the input
 * embedding). Units out of range are a ShapeError.
 */
export function withUnitsZeroed<T>(model: AblatableWeights, ablated: AblatedUnits, fn: () => T): T {
  const context = 'withUnitsZeroed';
  const c = model.config ?? {};
  if (c.cell !== 'lstm' && c.cell !== 'rnn') {
    throw new ConfigError(
      'model',
      `ablation zeroes a unit through the weights that read it, which is exact for lstm and rnn cells; this model's cell is ${String(c.cell)}`,
    );
  }
  if (c.projSize !== null && c.projSize !== undefined) {
    throw new ConfigError(
      'model',
      `has an LSTM projection (projSize ${c.projSize}): its hidden units are not read directly`,
    );
  }
  const numLayers = c.numLayers ?? 1;
  const { layer, units } = ablated;
  if (!Number.isInteger(layer) || layer < 0 || layer >= numLayers) {
    throw new ShapeError('layer', `an integer in [0, ${numLayers})`, String(layer), context);
  }
  const readers = [
    `rnn/layers.${layer}/recurrentKernel`,
    layer + 1 < numLayers ? `rnn/layers.${layer + 1}/kernel` : 'output/kernel',
  ];
  const weights = readers.map((name) => {
    const v = model.variables?.[name];
    if (!v) {
      throw new ConfigError(
        'model',
        name === 'output/kernel'
          ? 'has a tied output head (no output/kernel): zeroing its rows would change the input embedding too'
          : `has no weight "${name}"`,
      );
    }
    return v;
  });
  const size = weights[0]?.shape[0] as number;
  if (!Array.isArray(units) || units.length === 0) {
    throw new ShapeError('units', 'a non-empty array of unit indices', String(units), context);
  }
  for (const u of units) {
    if (!Number.isInteger(u) || u < 0 || u >= size)
      throw new ShapeError('units', `indices in [0, ${size})`, String(u), context);
  }
  const keep = tf.tidy(() => {
    const rows = new Float32Array(size).fill(1);
    for (const u of units) rows[u] = 0;
    return tf.tensor2d(rows, [size, 1]);
  });
  const saved = weights.map((v) => tf.clone(v));
  try {
    weights.forEach((v) => {
      tf.tidy(() => v.assign(tf.mul(v, keep)));
    });
    return fn();
  } finally {
    weights.forEach((v, k) => {
      v.assign(saved[k] as tf.Tensor);
    });
    tf.dispose([...saved, keep]);
  }
}

/** Mean next-token loss where a feature holds and elsewhere, without and with the ablation. */
export type AblationEffect = {
  /** Mean loss (nats) on positions where the feature holds, intact model. */
  lossHolds: number;
  /** Mean loss elsewhere, intact model. */
  lossElsewhere: number;
  /** Mean loss where the feature holds, units zeroed. */
  ablatedLossHolds: number;
  /** Mean loss elsewhere, units zeroed. */
  ablatedLossElsewhere: number;
  /** `ablatedLossHolds − lossHolds`. */
  deltaHolds: number;
  /** `ablatedLossElsewhere − lossElsewhere`. */
  deltaElsewhere: number;
  /** Positions scored where the feature holds. */
  positionsHolds: number;
  /** Positions scored elsewhere. */
  positionsElsewhere: number;
};

/**
 * The ablation test of a found unit: the model's loss predicting each next
 * token of `ids` where `holds` is non-zero (at the position read before the
 * prediction) versus elsewhere, intact and with `ablated` zeroed
 * ({@link withUnitsZeroed}). `holds` has one value per token (a ShapeError
 * otherwise); the last token predicts nothing and is not scored.
 */
export function ablationEffect(
  model: AblatableLanguageModel,
  ids: ArrayLike<number>,
  ablated: AblatedUnits,
  holds: ArrayLike<number | boolean>,
): AblationEffect {
  const context = 'ablationEffect';
  const tokens = checkIds(ids, model?.vocabSize, context);
  if (tokens.length < 2)
    throw new ShapeError('ids', 'at least two tokens (one prediction)', `${tokens.length}`, context);
  if (holds === null || typeof holds !== 'object' || holds.length !== tokens.length) {
    throw new ShapeError('holds', `${tokens.length} values (one per token)`, String(holds?.length), context);
  }
  const losses = () =>
    tf.tidy(() => {
      const logits = model.forward(tf.tensor2d(tokens, [1, tokens.length], 'int32')).logits;
      return nextTokenLogProbs(logits, tokens);
    });
  return compareLosses(losses(), withUnitsZeroed(model, ablated, losses), holds);
}

/**
 * The {@link AblationEffect} of next-token log-probabilities `intact` and
 * `zeroed` (one per prediction), split by `holds` at the position read.
 */
export function compareLosses(
  intact: Float32Array,
  zeroed: Float32Array,
  holds: ArrayLike<number | boolean>,
): AblationEffect {
  const split = (logProbs: Float32Array) => {
    let sumHolds = 0;
    let nHolds = 0;
    let sumElse = 0;
    let nElse = 0;
    logProbs.forEach((lp, t) => {
      if (holds[t]) {
        sumHolds -= lp;
        nHolds++;
      } else {
        sumElse -= lp;
        nElse++;
      }
    });
    return {
      holds: nHolds ? sumHolds / nHolds : Number.NaN,
      elsewhere: nElse ? sumElse / nElse : Number.NaN,
      nHolds,
      nElse,
    };
  };
  const a = split(intact);
  const b = split(zeroed);
  return {
    lossHolds: a.holds,
    lossElsewhere: a.elsewhere,
    ablatedLossHolds: b.holds,
    ablatedLossElsewhere: b.elsewhere,
    deltaHolds: b.holds - a.holds,
    deltaElsewhere: b.elsewhere - a.elsewhere,
    positionsHolds: a.nHolds,
    positionsElsewhere: a.nElse,
  };
}
