import { assertOneOf, ConfigError } from '@seqgen/core';

/**
 * Figures derived from a model's mean loss. Which ones make sense depends on
 * what the loss is, so the model declares them ({@link TrainableModel.metrics}):
 * - `perplexity`, `bitsPerToken`: the loss is a mean negative log-likelihood
 *   of predicted tokens, in nats (language models, decoders over a vocabulary);
 * - `rmse`: the loss is a mean squared error (a sine wave, mel frames with an L2 loss).
 */
export type LossMetric = 'perplexity' | 'bitsPerToken' | 'rmse';

/** Every metric a model may declare: `perplexity`, `bitsPerToken`, `rmse`. */
export const LOSS_METRICS: readonly LossMetric[] = ['perplexity', 'bitsPerToken', 'rmse'];

/** What a model that predicts tokens (its loss a token NLL in nats) declares. */
export const TOKEN_METRICS: readonly LossMetric[] = ['perplexity', 'bitsPerToken'];

/** Values of the metrics a model declared, computed from its loss; absent ones stay absent. */
export type DerivedMetrics = Partial<Record<LossMetric, number>>;

/** Per-step numbers the trainer reports (events, log, progress bar). */
export interface StepMetrics {
  /** Steps taken, this one included. */
  step: number;
  /** Epoch of the step's batch, when the reporter knows it (the trainer's own loop leaves it unset). */
  epoch?: number;
  /** Mean loss per token (nats for a token model; whatever the model's loss is otherwise). */
  loss: number;
  /** Only for models that declare `perplexity` (token predictors). */
  perplexity?: number;
  /** Only for models that declare `bitsPerToken` (token predictors). */
  bitsPerToken?: number;
  /** Only for models that declare `rmse` (mean-squared-error losses). */
  rmse?: number;
  /** Tokens the step's loss averaged over. */
  tokens: number;
  /** Training throughput of this step: tokens over its wall time. */
  tokensPerSecond: number;
  /** Global gradient norm before clipping. */
  gradNorm: number;
  /** The base learning rate this step used (schedule and non-finite scaling applied). */
  learningRate: number;
  /** Probability of feeding the gold previous token at this step (1 = full teacher forcing). */
  teacherForcingRatio: number;
}

/** The result of one validation pass: token-weighted mean loss over the validation data and derived metrics. */
export interface ValidationMetrics {
  /** Steps taken when the validation ran. */
  step: number;
  /** Mean loss per token over the validation data (no dropout). */
  loss: number;
  /** `exp(loss)`, only for models that declare `perplexity`. */
  perplexity?: number;
  /** `loss / ln 2`, only for models that declare `bitsPerToken`. */
  bitsPerToken?: number;
  /** `√loss`, only for models that declare `rmse`. */
  rmse?: number;
  /** Tokens the validation loss averaged over. */
  tokens: number;
  /** True when this is the lowest validation loss so far (strictly lower). */
  improved: boolean;
}

/** e^loss: the effective number of equally likely choices per token. */
export function perplexity(loss: number): number {
  return Math.exp(loss);
}

/** Loss in bits instead of nats (the usual figure for character models). */
export function bitsPerToken(loss: number): number {
  return loss / Math.LN2;
}

/** Root of a mean squared error: the error in the units of the targets. */
export function rmse(loss: number): number {
  return Math.sqrt(loss);
}

const COMPUTE: Record<LossMetric, (loss: number) => number> = { perplexity, bitsPerToken, rmse };

/** The declared metrics of `loss`, in the order {@link LOSS_METRICS} lists them. */
export function lossMetrics(loss: number, metrics: readonly LossMetric[] = []): DerivedMetrics {
  const out: DerivedMetrics = {};
  for (const name of LOSS_METRICS) if (metrics.includes(name)) out[name] = COMPUTE[name](loss);
  return out;
}

/** Checks a model's metric declaration, naming the bad entry. */
export function validateLossMetrics(metrics: unknown, field = 'model.metrics'): readonly LossMetric[] {
  if (metrics === undefined) return [];
  if (!Array.isArray(metrics)) throw new ConfigError(field, `must be an array of ${LOSS_METRICS.join(', ')}`);
  metrics.forEach((m, i) => {
    assertOneOf(`${field}[${i}]`, m, LOSS_METRICS);
  });
  return metrics as LossMetric[];
}
