import { assertInRange, assertNonNegativeInteger, assertPositiveInteger, ConfigError } from '@seqgen/core';

/**
 * Per-step constraint on the next token: returns the ids allowed at `step`
 * (0-based index of the new token) given the new tokens generated so far, or
 * `null` for no constraint. Used e.g. to keep a melody inside a musical scale.
 */
export type AllowedTokensFn = (step: number, generated: readonly number[]) => readonly number[] | null;

/** A stop sequence: token ids, or a string matched against the decoded text (needs a `decode` function). */
export type StopSequence = readonly number[] | string;

/**
 * Everything that controls decoding. Strategy follows from the values:
 * `numBeams > 1` is beam search, else `temperature === 0` is greedy, else
 * sampling through the logits processors. Every field is optional in
 * {@link resolveGenerationConfig}; the defaults are {@link DEFAULT_GENERATION_CONFIG}.
 */
export interface GenerationConfig {
  /** How many tokens to generate after the prompt (a positive integer). Default `20`. */
  maxNewTokens: number;
  /**
   * Logits are divided by it before sampling: < 1 sharpens, > 1 flattens,
   * `0` means greedy (argmax). Must be finite and ≥ 0. Default `1`.
   */
  temperature: number;
  /** Sample only among the `topK` most likely tokens (integer ≥ 1), or `null` for no limit. Default `null`. */
  topK: number | null;
  /**
   * Nucleus sampling: keep the smallest set of most likely tokens whose
   * probability reaches `topP`, in (0, 1]; `1` keeps everything. Default `1`.
   */
  topP: number;
  /**
   * Drop tokens whose probability is below `minP` times the most likely
   * token's probability, in [0, 1]; `0` disables it. Default `0`.
   */
  minP: number;
  /**
   * Locally typical sampling: keep the tokens whose surprisal is closest to
   * the distribution's entropy until their mass reaches `typicalP`, in (0, 1];
   * `1` disables it. Default `1`.
   */
  typicalP: number;
  /**
   * CTRL-style penalty (> 0) on every token already in the prompt or the
   * output: positive logits are divided by it, negative ones multiplied;
   * `1` disables it. Default `1`.
   */
  repetitionPenalty: number;
  /** Forbid repeating any n-gram of this size (prompt included); `0` disables it. Default `0`. */
  noRepeatNgramSize: number;
  /**
   * Stop when the new tokens end with one of these token-id sequences, or when
   * the decoded new text contains one of these strings (strings need a
   * `decode` function in the call options). The stop sequence is kept in the
   * output. Default `[]`.
   */
  stopSequences: readonly StopSequence[];
  /** End-of-sequence ids: generating one stops that sequence (it is kept in the output). Default `[]`. */
  stopTokens: readonly number[];
  /** Token ids that are never generated. Default `[]`. */
  bannedTokens: readonly number[];
  /** Per-step whitelist of token ids (see {@link AllowedTokensFn}), or `null`. Default `null`. */
  allowedTokens: AllowedTokensFn | null;
  /** Beam width (integer ≥ 1); `> 1` selects beam search. Default `1`. */
  numBeams: number;
  /**
   * Beam scores are `logProb / length ** lengthPenalty`: > 0 favours longer
   * finished beams, < 0 shorter ones. Default `1`.
   */
  lengthPenalty: number;
  /**
   * Beam search only. `true`: stop as soon as `numBeams` hypotheses have
   * finished. `false`: go on until no running beam can still enter the n-best
   * list (or `maxNewTokens`). Default `false`.
   */
  earlyStopping: boolean;
  /**
   * How many sequences to return per prompt: independent samples when
   * sampling, the n best beams for beam search (≤ `numBeams`); greedy returns
   * exactly one. Default `1`.
   */
  numReturnSequences: number;
  /** Seed of the {@link @seqgen/core!Rng | Rng} that every random draw comes from; `null` picks one at random. Default `null`. */
  seed: number | null;
}

/** The defaults of every {@link GenerationConfig} field. */
export const DEFAULT_GENERATION_CONFIG: Readonly<GenerationConfig> = Object.freeze({
  maxNewTokens: 20,
  temperature: 1,
  topK: null,
  topP: 1,
  minP: 0,
  typicalP: 1,
  repetitionPenalty: 1,
  noRepeatNgramSize: 0,
  stopSequences: Object.freeze([]) as readonly StopSequence[],
  stopTokens: Object.freeze([]) as readonly number[],
  bannedTokens: Object.freeze([]) as readonly number[],
  allowedTokens: null,
  numBeams: 1,
  lengthPenalty: 1,
  earlyStopping: false,
  numReturnSequences: 1,
  seed: null,
});

/** The decoding strategy a resolved config selects. */
export type DecodingStrategy = 'greedy' | 'sample' | 'beam';

/** Which strategy a config selects: beams, else temperature 0 is greedy, else sampling. */
export function decodingStrategy(config: Pick<GenerationConfig, 'numBeams' | 'temperature'>): DecodingStrategy {
  if (config.numBeams > 1) return 'beam';
  return config.temperature === 0 ? 'greedy' : 'sample';
}

/** Settings that shape a sampled distribution; beam search here is deterministic, so they are refused there. */
const SAMPLING_FIELDS = ['temperature', 'topK', 'topP', 'minP', 'typicalP'] as const;

/** Beam search checks: at most `numBeams` sequences back, and no sampling settings (which it would ignore). */
export function assertBeamSearchConfig(config: GenerationConfig): void {
  if (config.numReturnSequences > config.numBeams) {
    throw new ConfigError(
      'numReturnSequences',
      `beam search returns at most numBeams (${config.numBeams}) sequences, got ${config.numReturnSequences}`,
    );
  }
  for (const field of SAMPLING_FIELDS) {
    if (config[field] !== DEFAULT_GENERATION_CONFIG[field]) {
      throw new ConfigError(field, 'is a sampling setting; beam search is deterministic');
    }
  }
}

/**
 * Fills in defaults and validates every field. Throws a {@link ConfigError}
 * naming the field for anything invalid, including unknown keys (which are
 * usually typos such as `top_k`).
 */
export function resolveGenerationConfig(partial: Partial<GenerationConfig> = {}): GenerationConfig {
  if (partial === null || typeof partial !== 'object' || Array.isArray(partial)) {
    throw new ConfigError('generationConfig', 'must be an object');
  }
  for (const key of Object.keys(partial)) {
    if (!Object.hasOwn(DEFAULT_GENERATION_CONFIG, key)) {
      throw new ConfigError(
        key,
        `is not a GenerationConfig field (known: ${Object.keys(DEFAULT_GENERATION_CONFIG).join(', ')})`,
      );
    }
  }
  // undefined means "use the default", as with an absent key.
  const defined = Object.fromEntries(Object.entries(partial).filter(([, v]) => v !== undefined));
  const c: GenerationConfig = { ...DEFAULT_GENERATION_CONFIG, ...defined };

  assertPositiveInteger('maxNewTokens', c.maxNewTokens);
  if (!Number.isFinite(c.temperature) || c.temperature < 0) {
    throw new ConfigError('temperature', `must be a finite number ≥ 0 (0 = greedy), got ${c.temperature}`);
  }
  if (c.topK !== null) assertPositiveInteger('topK', c.topK);
  assertInRange('topP', c.topP, 0, 1, { openMin: true });
  assertInRange('minP', c.minP, 0, 1);
  assertInRange('typicalP', c.typicalP, 0, 1, { openMin: true });
  if (!(Number.isFinite(c.repetitionPenalty) && c.repetitionPenalty > 0)) {
    throw new ConfigError('repetitionPenalty', `must be a finite number > 0 (1 = off), got ${c.repetitionPenalty}`);
  }
  assertNonNegativeInteger('noRepeatNgramSize', c.noRepeatNgramSize);
  if (!Array.isArray(c.stopSequences)) throw new ConfigError('stopSequences', 'must be an array');
  c.stopSequences.forEach((s, i) => {
    if (typeof s === 'string') {
      if (s.length === 0) throw new ConfigError('stopSequences', `entry ${i} must not be an empty string`);
    } else if (!Array.isArray(s) || s.length === 0) {
      throw new ConfigError('stopSequences', `entry ${i} must be a non-empty token-id array or a non-empty string`);
    } else {
      tokenIds(`stopSequences[${i}]`, s);
    }
  });
  tokenIds('stopTokens', c.stopTokens);
  tokenIds('bannedTokens', c.bannedTokens);
  if (c.allowedTokens !== null && typeof c.allowedTokens !== 'function') {
    throw new ConfigError('allowedTokens', 'must be a function (step, generated) => number[] | null, or null');
  }
  assertPositiveInteger('numBeams', c.numBeams);
  if (!Number.isFinite(c.lengthPenalty))
    throw new ConfigError('lengthPenalty', `must be finite, got ${c.lengthPenalty}`);
  if (typeof c.earlyStopping !== 'boolean') throw new ConfigError('earlyStopping', 'must be a boolean');
  assertPositiveInteger('numReturnSequences', c.numReturnSequences);
  if (c.seed !== null && !Number.isSafeInteger(c.seed)) {
    throw new ConfigError('seed', `must be a safe integer or null, got ${c.seed}`);
  }

  const strategy = decodingStrategy(c);
  if (strategy === 'beam') {
    assertBeamSearchConfig(c);
  } else if (strategy === 'greedy' && c.numReturnSequences > 1) {
    throw new ConfigError(
      'numReturnSequences',
      'greedy decoding (temperature 0) returns one sequence; sample or use beams',
    );
  }
  return c;
}

function tokenIds(field: string, ids: unknown): void {
  if (!Array.isArray(ids)) throw new ConfigError(field, 'must be an array of token ids');
  for (const id of ids) {
    if (!Number.isInteger(id) || id < 0)
      throw new ConfigError(field, `token ids must be integers ≥ 0, got ${String(id)}`);
  }
}

/** Checks that every token id in the config is below `vocabSize` (known only once the model is). */
export function checkVocabulary(config: GenerationConfig, vocabSize: number): void {
  const inRange = (field: string, ids: readonly number[]) => {
    for (const id of ids) {
      if (id >= vocabSize) throw new ConfigError(field, `token id ${id} is outside the vocabulary [0, ${vocabSize})`);
    }
  };
  inRange('stopTokens', config.stopTokens);
  inRange('bannedTokens', config.bannedTokens);
  config.stopSequences.forEach((s, i) => {
    if (typeof s !== 'string') inRange(`stopSequences[${i}]`, s);
  });
}
