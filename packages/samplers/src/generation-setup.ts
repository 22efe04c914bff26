import { ConfigError, Rng, type SequenceModel, ShapeError } from '@seqgen/core';
import type * as tf from '@tensorflow/tfjs';
import { checkVocabulary, type GenerationConfig, resolveGenerationConfig } from './generation-config.js';
import type { LogitsProcessor } from './logits-processors/logits-processor.js';
import type { DecodeFn, FinishReason } from './stopping-criteria.js';

/**
 * Call options shared by `generate`, `generateBatch`, `beamSearch`,
 * `beamSearchBatch` and `stream`. `State` is the model's state type (what
 * `trace` reads); left out, any `trace` function is accepted.
 */
export interface GenerateOptions<Condition = unknown, State = never> {
  /**
   * What a conditioned model decodes from (encoder memory with a mask, an
   * image's features…), passed to `model.initialState(rows, condition)`.
   * Its tensors have one row per prompt on axis 0 (`generateBatch`, `beamSearchBatch`; `generate`, `beamSearch`,
   * `stream`: one row); samples and beams of a prompt repeat its row. The
   * caller keeps ownership: it is not disposed. Omit it for unconditioned models.
   */
  condition?: Condition;
  /** Token ids → text: enables string `stopSequences` and fills `text` in the results. */
  decode?: DecodeFn;
  /** Aborting stops generation before the next model step; the call rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Use this generator instead of `new Rng(config.seed)` (to continue one random stream across calls). */
  rng?: Rng;
  /** Extra processors, run after the ones the config asks for. */
  logitsProcessors?: readonly LogitsProcessor[];
  /**
   * Reads something per row from the state each decoding step returns (e.g.
   * an attention decoder's weights over the source): a tensor `[rows, K]`.
   * The sequences then carry `trace`, one row per generated token — the row
   * of the step whose logits chose that token, following beam reorders. A
   * tensor the state holds is left alone; one `trace` makes is disposed.
   */
  trace?: (state: State) => tf.Tensor;
}

/** One generated continuation. */
export interface GeneratedSequence {
  /** The new token ids (prompt excluded; a stop token or stop sequence that ended it is included). */
  tokens: number[];
  /** Sum of the log-probabilities of `tokens` under the processed distribution they were chosen from. */
  logProb: number;
  /** Ranking score: `logProb / tokens.length ** lengthPenalty` for beam search, `logProb` otherwise. */
  score: number;
  /** Why it ended. */
  finishReason: FinishReason;
  /** `decode(tokens)` when a decode function was given. */
  text?: string;
  /** With `GenerateOptions.trace`: the traced row of each token of `tokens`, in order. */
  trace?: Float32Array[];
}

/** The sequences generated for one prompt, best first for beam search, in draw order otherwise. */
export interface GenerationResult {
  /** One entry per returned sequence (`numReturnSequences` of them), best first for beam search. */
  sequences: GeneratedSequence[];
}

/** Resolves the config and checks it against the model's vocabulary. */
export function prepareConfig(
  model: SequenceModel<unknown, unknown>,
  partial: Partial<GenerationConfig>,
): GenerationConfig {
  const config = resolveGenerationConfig(partial);
  if (!Number.isInteger(model.vocabSize) || model.vocabSize < 1) {
    throw new ConfigError('model.vocabSize', `must be a positive integer, got ${model.vocabSize}`);
  }
  checkVocabulary(config, model.vocabSize);
  return config;
}

/** Checks one prompt: a non-empty array of integer ids below vocabSize. */
export function checkPrompt(promptIds: readonly number[], vocabSize: number, name = 'promptIds'): void {
  if (!Array.isArray(promptIds)) throw new ShapeError(name, 'an array of token ids', typeof promptIds);
  if (promptIds.length === 0) {
    // An RNN needs at least one input to produce the first logits (a BOS token, for instance).
    throw new ShapeError(name, 'a non-empty array of token ids (start with a BOS token)', 'an empty array');
  }
  for (const id of promptIds) {
    if (!Number.isInteger(id) || id < 0 || id >= vocabSize) {
      throw new ConfigError(name, `token ids must be integers in [0, ${vocabSize}), got ${String(id)}`);
    }
  }
}

/** The generator every draw of a call comes from. */
export function createRng(config: GenerationConfig, options: Pick<GenerateOptions, 'rng'>): Rng {
  if (options.rng) return options.rng;
  return new Rng(config.seed ?? Math.floor(Math.random() * 2 ** 32));
}

/** Attaches `text` when a decode function was given. */
export function withText(sequence: GeneratedSequence, decode: DecodeFn | undefined): GeneratedSequence {
  return decode ? { ...sequence, text: decode(sequence.tokens) } : sequence;
}
