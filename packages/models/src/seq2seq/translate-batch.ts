import { ConfigError, describeValue, ShapeError } from '@seqgen/core';
import * as samplers from '@seqgen/samplers';
import * as tf from '@tensorflow/tfjs';
import { type AttentionDecoderState, attentionWeightsOf, type Seq2SeqCondition } from './attention-decoder.js';
import { disposeCondition, type Seq2Seq } from './seq2seq.js';

/** How {@link translateBatch} decodes. */
export interface TranslateOptions {
  /** Beam width; above 1 runs beam search for all sources at once (default 1: greedy or sampling). */
  numBeams?: number;
  /** Translations per source (n-best with beams, independent samples otherwise; default 1). */
  numReturnSequences?: number;
  /** Most target tokens per translation, EOS included (default 2 × the longest source + 10). */
  maxLength?: number;
  /** Beam ranking: `logProb / length ** lengthPenalty` (default 1). */
  lengthPenalty?: number;
  /** 0 (default) is greedy; above 0 samples (without beams). */
  temperature?: number;
  /** Sample among the `topK` most likely tokens. */
  topK?: number;
  /** Seed of sampling. */
  seed?: number;
  /** Return each output token's attention weights over its source (default false). */
  returnAttention?: boolean;
}

/** One translation of one source. */
export interface Translation {
  /** Target token ids, without BOS and without the EOS that ended it. */
  tokens: number[];
  /** Ranking score (beam search: length-normalized log-probability; otherwise the log-probability). */
  score: number;
  /** Sum of the chosen tokens' log-probabilities (EOS included). */
  logProb: number;
  /** With `returnAttention`: one row per token of `tokens`, over the source's real positions. */
  attention?: Float32Array[];
}

/** The translations of one source, best first with beams. */
export interface TranslationResult {
  /** The returned translations (`numReturnSequences` of them), best first with beams. */
  sequences: Translation[];
}

type BatchSearch = (
  model: unknown,
  prompts: readonly (readonly number[])[],
  config: Record<string, unknown>,
  options: Record<string, unknown>,
) => Promise<samplers.GenerationResult[]>;

/**
 * Translates token-id sources with a {@link Seq2Seq}: encodes them once, then
 * decodes every source in one batch through `@seqgen/samplers` (beam search
 * with `numBeams > 1`, greedy or sampling otherwise), stopping at `eosId`,
 * which is stripped from the tokens. With `returnAttention`, the attention
 * weights of each output token come from the samplers' `trace`, following
 * beam reorders.
 */
export async function translateBatch(
  model: Seq2Seq,
  sources: readonly (readonly number[])[],
  options: TranslateOptions = {},
): Promise<TranslationResult[]> {
  if (typeof options !== 'object' || options === null) {
    throw new ConfigError('options', `must be an object, got ${describeValue(options)}`);
  }
  if (!Array.isArray(sources) || sources.length === 0) {
    throw new ShapeError('sources', 'a non-empty array of token-id arrays', describeValue(sources), 'translateBatch');
  }
  const { bosId, eosId, attention } = model.config;
  const numBeams = options.numBeams ?? 1;
  const wantAttention = options.returnAttention ?? false;
  if (wantAttention && attention === 'none') {
    throw new ConfigError('returnAttention', 'needs a model with attention (this one has attention "none")');
  }
  const longest = Math.max(...sources.map((s) => (Array.isArray(s) ? s.length : 0)));
  const config: Record<string, unknown> = {
    maxNewTokens: options.maxLength ?? 2 * longest + 10,
    numBeams,
    numReturnSequences: options.numReturnSequences ?? 1,
    lengthPenalty: options.lengthPenalty ?? 1,
    stopTokens: [eosId],
  };
  // Beam search is deterministic: sampling settings go through only when given (the samplers refuse them).
  if (numBeams <= 1 || options.temperature !== undefined) config.temperature = options.temperature ?? 0;
  if (options.topK !== undefined) config.topK = options.topK;
  if (numBeams <= 1 || options.seed !== undefined) config.seed = options.seed ?? 0;
  const condition = model.encode(sources);
  try {
    const prompts = sources.map(() => [bosId]);
    const call: Record<string, unknown> = { condition };
    if (wantAttention) call.trace = (state: AttentionDecoderState) => attentionWeightsOf(state);
    const batchSearch = (samplers as unknown as { beamSearchBatch?: BatchSearch }).beamSearchBatch;
    const search = (numBeams > 1 && batchSearch ? batchSearch : samplers.generateBatch) as unknown as BatchSearch;
    const results = await search(model, prompts, config, call);
    return await Promise.all(
      results.map(async (result, i) => ({
        sequences: await Promise.all(
          result.sequences.map((seq) => toTranslation(model, seq, eosId, wantAttention, condition, i, sources)),
        ),
      })),
    );
  } finally {
    disposeCondition(condition);
  }
}

async function toTranslation(
  model: Seq2Seq,
  seq: samplers.GeneratedSequence & { trace?: Float32Array[] },
  eosId: number,
  wantAttention: boolean,
  condition: Seq2SeqCondition,
  row: number,
  sources: readonly (readonly number[])[],
): Promise<Translation> {
  const tokens = seq.tokens[seq.tokens.length - 1] === eosId ? seq.tokens.slice(0, -1) : [...seq.tokens];
  const out: Translation = { tokens, score: seq.score, logProb: seq.logProb };
  if (!wantAttention) return out;
  const length = (sources[row] as readonly number[]).length;
  // Samplers without `trace` (older versions): re-run the decoder over the chosen tokens, which gives the same rows.
  const rows = seq.trace ?? (await forcedAttention(model, condition, row, tokens));
  out.attention = rows.slice(0, tokens.length).map((r) => Float32Array.from(r.subarray(0, length)));
  return out;
}

/** Attention rows `[T][S]` of teacher-forcing `tokens` from one row of the condition. */
async function forcedAttention(
  model: Seq2Seq,
  condition: Seq2SeqCondition,
  row: number,
  tokens: number[],
): Promise<Float32Array[]> {
  const weights = tf.tidy(() => {
    const pick = (t: tf.Tensor) => tf.slice(t, [row], [1]);
    const one: Seq2SeqCondition = {
      memory: pick(condition.memory) as tf.Tensor3D,
      ...(condition.mask ? { mask: pick(condition.mask) as tf.Tensor2D } : {}),
      ...(condition.initialStates ? { initialStates: condition.initialStates.map((s) => pick(s) as tf.Tensor2D) } : {}),
    };
    const ids = tf.tensor2d([[model.config.bosId, ...tokens]], undefined, 'int32');
    return model.decoder.forward(ids, one).attention as tf.Tensor3D;
  });
  const [, T, S] = weights.shape;
  const data = (await weights.data()) as Float32Array;
  weights.dispose();
  return Array.from({ length: T }, (_, t) => data.slice(t * S, (t + 1) * S));
}
