import { InputError } from '@seqgen/app-kit';
import type { RecurrentLanguageModel } from '@seqgen/models';
import { bitsPerToken, evaluate, perplexity, type StreamBatch, streamBatches } from '@seqgen/trainer';

export interface HeldOutMetrics {
  /** Mean nats per predicted token. */
  loss: number;
  perplexity: number;
  bitsPerToken: number;
  /** Bits per character of the evaluated text (equal to bits per token for a char tokenizer). */
  bitsPerChar: number;
  /** Tokens predicted (scored). */
  tokens: number;
}

export interface HeldOutOptions {
  /** Leave targets with this token id (`<unk>`) out of the figures: only known tokens are scored. */
  excludeTarget?: number;
}

/** The batches with every target equal to `id` masked out (its loss not counted), and the tokens recounted. */
function* withoutTarget(batches: Iterable<StreamBatch>, id: number): Iterable<StreamBatch> {
  for (const batch of batches) {
    const mask = Float32Array.from(batch.mask);
    let tokens = 0;
    for (let i = 0; i < mask.length; i++) {
      if (batch.targets[i] === id) mask[i] = 0;
      tokens += mask[i] as number;
    }
    yield { ...batch, mask, tokens };
  }
}

/**
 * Loss of `model` on one token stream, read in order with carried state: the
 * stream is cut into at most 16 contiguous lanes and chunks of ≤ 256 steps,
 * so nearly every token is predicted with its full left context.
 */
export async function heldOutMetrics(
  model: RecurrentLanguageModel,
  ids: number[],
  chars: number,
  options: HeldOutOptions = {},
): Promise<HeldOutMetrics> {
  if (ids.length < 3) throw new InputError(`held-out text is too short to evaluate (${ids.length} tokens)`);
  const batchSize = Math.max(1, Math.min(16, Math.floor((ids.length - 1) / 64)));
  const lane = Math.floor((ids.length - 1) / batchSize);
  const seqLength = Math.floor(lane / Math.ceil(lane / 256));
  // The trainer's standalone evaluation loop (carried state, tidy, token-weighted mean).
  const stream = streamBatches({ documents: [ids], batchSize, seqLength });
  const excluded = options.excludeTarget;
  const batches = excluded === undefined ? stream : withoutTarget(stream, excluded);
  const { loss, tokens } = await evaluate(model, batches);
  if (tokens === 0) throw new InputError('held-out text holds no known token to evaluate (all are <unk>)');
  const totalNats = loss * tokens;
  // Tokens cover the text in proportion: scale characters by the fraction of tokens predicted
  // (with excluded targets, each unknown token stands for about one character too).
  const coveredChars = (chars * tokens) / (ids.length - 1);
  return {
    loss,
    perplexity: perplexity(loss),
    bitsPerToken: bitsPerToken(loss),
    bitsPerChar: totalNats / Math.LN2 / coveredChars,
    tokens,
  };
}
