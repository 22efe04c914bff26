/** Per-step numbers the trainer reports (events, log, progress bar). */
export interface StepMetrics {
  step: number;
  epoch?: number;
  /** Mean loss per token (nats). */
  loss: number;
  perplexity: number;
  bitsPerToken: number;
  tokens: number;
  tokensPerSecond: number;
  /** Global gradient norm before clipping. */
  gradNorm: number;
  learningRate: number;
  teacherForcingRatio: number;
}

export interface ValidationMetrics {
  step: number;
  loss: number;
  perplexity: number;
  bitsPerToken: number;
  tokens: number;
  /** True when this is the best validation loss so far. */
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
