import { Rng } from '@seqgen/core';
import * as tf from '@tensorflow/tfjs';
import { type DerivedMetrics, lossMetrics, validateLossMetrics } from './metrics.js';
import type { LossContext, RecurrentState, TrainableModel } from './model.js';
import { yieldToEventLoop } from './yield.js';

/** Options of {@link evaluate}. */
export interface EvaluateOptions {
  /** Reported to the model as `context.step` (default 0). */
  step?: number;
  /** Seed of the RNG handed to the model as `context.rng` (default 0); evaluation never touches a trainer's RNG. */
  seed?: number;
  /** Yield to the event loop after each batch so that timers and signal handlers run (default true). */
  yieldToEventLoop?: boolean;
}

/** Token-weighted loss over a pass, with the metrics the model declares. */
export interface EvaluationResult extends DerivedMetrics {
  /** Token-weighted mean loss (NaN when no token was counted). */
  loss: number;
  /** Tokens counted over the pass. */
  tokens: number;
  /** Batches read. */
  batches: number;
}

/**
 * Evaluates `model` on `batches` without training it: no optimizer, no
 * gradient tape, no learning rate. Each batch's loss is weighted by the tokens
 * it counted, and recurrent state is carried from batch to batch within the
 * pass (as during truncated-BPTT training), then disposed. The model's
 * `metrics` (perplexity, bits per token, rmse…) are derived from the mean.
 */
export async function evaluate<Batch, State extends RecurrentState = RecurrentState>(
  model: TrainableModel<Batch, State>,
  batches: Iterable<Batch>,
  options: EvaluateOptions = {},
): Promise<EvaluationResult> {
  const metrics = validateLossMetrics(model.metrics);
  const context: LossContext = {
    training: false,
    step: options.step ?? 0,
    teacherForcingRatio: 1,
    rng: new Rng(options.seed ?? 0),
  };
  let state: State | undefined;
  let sum = 0;
  let tokens = 0;
  let count = 0;
  try {
    for (const batch of batches) {
      const prev = state;
      const out = tf.tidy(() => {
        const r = model.loss(batch, prev, context);
        return { loss: r.loss, state: r.state ?? [], tokens: r.tokens };
      });
      state = out.state.length ? (out.state as State) : undefined;
      if (prev) for (const t of prev) if (!state?.includes(t)) t.dispose();
      const loss = (await out.loss.data())[0] as number;
      out.loss.dispose();
      sum += loss * out.tokens;
      tokens += out.tokens;
      count++;
      if (options.yieldToEventLoop ?? true) await yieldToEventLoop();
    }
  } finally {
    if (state) tf.dispose(state);
  }
  const loss = tokens > 0 ? sum / tokens : Number.NaN;
  return { loss, ...lossMetrics(loss, metrics), tokens, batches: count };
}
