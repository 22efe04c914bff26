import { ConfigError, describeValue, ShapeError } from '@seqgen/core';
import * as samplers from '@seqgen/samplers';
import * as tf from '@tensorflow/tfjs';
import { type AttentionDecoderState, attentionWeightsOf } from '../seq2seq/attention-decoder.js';
import { disposeCondition } from '../seq2seq/seq2seq.js';
import type { Captioner } from './captioner.js';

/** How {@link captionImages} decodes. */
export type CaptionOptions = {
  /** Beam width; above 1 runs beam search over all images at once (default 3). */
  numBeams?: number;
  /** Captions per image, best first (at most `numBeams`; default 1). */
  numReturnSequences?: number;
  /** Most tokens per caption, EOS included (default 20). */
  maxLength?: number;
  /** Beam ranking: `logProb / length ** lengthPenalty` (default 1). */
  lengthPenalty?: number;
  /** Return each word's attention weights over the feature map's positions (default false). */
  returnAttention?: boolean;
};

/** One caption of one image. */
export type Caption = {
  /** Token ids, without BOS and the EOS that ended it. */
  tokens: number[];
  /** Ranking score (length-normalized log-probability with beams). */
  score: number;
  /** Sum of the chosen tokens' log-probabilities (EOS included). */
  logProb: number;
  /** With `returnAttention`: one row per token, over the `h·w` feature-map positions (row-major). */
  attention?: Float32Array[];
};

/**
 * Captions images `[B, H, W, C]` (floats in [0, 1]) with a {@link Captioner}:
 * encodes them once, then decodes all of them in one batch through
 * `@seqgen/samplers` (batched beam search, or greedy with `numBeams: 1`),
 * stopping at the model's EOS. With `returnAttention` the weights of each
 * word come from the samplers' `trace`, following beam reorders. Returns,
 * per image, its captions best first.
 */
export async function captionImages(
  model: Captioner,
  images: tf.Tensor4D,
  options: CaptionOptions = {},
): Promise<Caption[][]> {
  if (typeof options !== 'object' || options === null) {
    throw new ConfigError('options', `must be an object, got ${describeValue(options)}`);
  }
  if (!(images instanceof tf.Tensor) || images.rank !== 4) {
    throw new ShapeError('images', '[B, H, W, C] floats', describeValue(images), 'captionImages');
  }
  const { bosId, eosId, attention } = model.config;
  const numBeams = options.numBeams ?? 3;
  const wantAttention = options.returnAttention ?? false;
  if (wantAttention && attention === 'none') {
    throw new ConfigError('returnAttention', 'needs a captioner with attention (this one has attention "none")');
  }
  const config: Record<string, unknown> = {
    maxNewTokens: options.maxLength ?? 20,
    numBeams,
    numReturnSequences: options.numReturnSequences ?? 1,
    lengthPenalty: options.lengthPenalty ?? 1,
    stopTokens: [eosId],
  };
  if (numBeams <= 1) {
    config.temperature = 0;
    config.seed = 0;
  }
  const condition = model.encode(images);
  try {
    const prompts = Array.from({ length: images.shape[0] }, () => [bosId]);
    const call: Record<string, unknown> = { condition };
    if (wantAttention) call.trace = (state: AttentionDecoderState) => attentionWeightsOf(state);
    const search = numBeams > 1 ? samplers.beamSearchBatch : samplers.generateBatch;
    const results = await (search as (...args: unknown[]) => Promise<samplers.GenerationResult[]>)(
      model,
      prompts,
      config,
      call,
    );
    return results.map((result) =>
      result.sequences.map((seq) => {
        const s = seq as samplers.GeneratedSequence & { trace?: Float32Array[] };
        const tokens = s.tokens[s.tokens.length - 1] === eosId ? s.tokens.slice(0, -1) : [...s.tokens];
        const caption: Caption = { tokens, score: s.score, logProb: s.logProb };
        if (wantAttention) caption.attention = (s.trace ?? []).slice(0, tokens.length).map((r) => Float32Array.from(r));
        return caption;
      }),
    );
  } finally {
    disposeCondition(condition);
  }
}
