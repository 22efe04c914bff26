import type { JsonObject } from '@seqgen/core';
import { ShardError } from './shard-error.js';

/** The `format` field of every shard manifest: anything else is not a seqgen shard set. */
export const TOKEN_SHARD_FORMAT = 'seqgen-token-shards';
/** The manifest version this package writes and reads. */
export const TOKEN_SHARD_VERSION = 1;
/** The manifest's file name inside a shard folder. */
export const TOKEN_SHARD_MANIFEST = 'manifest.json';

/** How token ids are stored: little-endian unsigned integers of 2 or 4 bytes. */
export type TokenDtype = 'uint16' | 'uint32';

/** The two parts of a shard set: tokens to train on, and held-out tokens for validation. */
export type TokenSplit = 'train' | 'heldout';

/** One shard file as the manifest lists it. */
export type TokenShardEntry = {
  /** File name inside the shard folder (no path separators). */
  file: string;
  /** The stream the file belongs to. */
  split: TokenSplit;
  /** Token ids the file holds; its size is `tokens × bytesPerToken(dtype)`. */
  tokens: number;
  /** Lower-case hex SHA-256 of the file's bytes. */
  sha256: string;
};

/** `manifest.json` of a shard set: the format every reader (this package, the PyTorch trainer) follows. */
export type TokenShardManifest = {
  /** Always {@link TOKEN_SHARD_FORMAT}: what tells a seqgen shard set from any other folder. */
  format: typeof TOKEN_SHARD_FORMAT;
  /** {@link TOKEN_SHARD_VERSION}. */
  version: typeof TOKEN_SHARD_VERSION;
  /** How each id is stored in the files. */
  dtype: TokenDtype;
  /** Every token id is below this. */
  vocabSize: number;
  /** The tokenizer's own JSON (`toJSON()` of a @seqgen/tokenizers tokenizer), so a checkpoint can carry it. */
  tokenizer: JsonObject;
  /** Shard files in stream order; each split's files concatenate to its token stream. */
  shards: TokenShardEntry[];
  /** Informational: what was tokenized. */
  source?: JsonObject;
};

/** Bytes per token id of a dtype. */
export function bytesPerToken(dtype: TokenDtype): number {
  return dtype === 'uint16' ? 2 : 4;
}

/** The smallest dtype that holds every id below `vocabSize`. */
export function dtypeFor(vocabSize: number): TokenDtype {
  return vocabSize <= 65536 ? 'uint16' : 'uint32';
}

const SAFE_FILE = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/**
 * Checks a parsed `manifest.json` field by field; `path` names it in the
 * ShardError thrown when it is not a version-1 seqgen shard manifest.
 */
export function parseTokenShardManifest(value: unknown, path: string): TokenShardManifest {
  const bad = (what: string): never => {
    throw new ShardError('bad-manifest', path, what);
  };
  if (typeof value !== 'object' || value === null || Array.isArray(value)) bad('is not a JSON object');
  const m = value as Record<string, unknown>;
  if (m.format !== TOKEN_SHARD_FORMAT) {
    throw new ShardError(
      'not-a-shard-set',
      path,
      `is not a seqgen token shard manifest (format ${JSON.stringify(m.format)}, expected "${TOKEN_SHARD_FORMAT}")`,
    );
  }
  if (m.version !== TOKEN_SHARD_VERSION) {
    throw new ShardError(
      'unsupported-version',
      path,
      `has version ${JSON.stringify(m.version)}; this reader knows version ${TOKEN_SHARD_VERSION}`,
    );
  }
  if (m.dtype !== 'uint16' && m.dtype !== 'uint32') {
    throw new ShardError('bad-dtype', path, `has dtype ${JSON.stringify(m.dtype)}; expected "uint16" or "uint32"`);
  }
  const vocabSize = m.vocabSize;
  if (!Number.isSafeInteger(vocabSize) || (vocabSize as number) < 1) bad('vocabSize must be a positive integer');
  if ((vocabSize as number) > 2 ** 16 && m.dtype === 'uint16') {
    throw new ShardError('bad-dtype', path, `dtype uint16 cannot hold vocabSize ${vocabSize}`);
  }
  if (typeof m.tokenizer !== 'object' || m.tokenizer === null || Array.isArray(m.tokenizer)) {
    bad('tokenizer must be the tokenizer JSON object');
  }
  if (!Array.isArray(m.shards)) bad('shards must be an array');
  const seen = new Set<string>();
  const shards = (m.shards as unknown[]).map((s, i): TokenShardEntry => {
    const e = (typeof s === 'object' && s !== null ? s : {}) as Record<string, unknown>;
    const where = `shards[${i}]`;
    if (typeof e.file !== 'string' || !SAFE_FILE.test(e.file) || e.file === TOKEN_SHARD_MANIFEST) {
      bad(`${where}.file must be a plain file name inside the folder, got ${JSON.stringify(e.file)}`);
    }
    if (seen.has(e.file as string)) bad(`${where}.file ${e.file} is listed twice`);
    seen.add(e.file as string);
    if (e.split !== 'train' && e.split !== 'heldout') bad(`${where}.split must be "train" or "heldout"`);
    if (!Number.isSafeInteger(e.tokens) || (e.tokens as number) < 0) bad(`${where}.tokens must be an integer ≥ 0`);
    if (typeof e.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(e.sha256)) bad(`${where}.sha256 must be 64 hex digits`);
    return {
      file: e.file as string,
      split: e.split as TokenSplit,
      tokens: e.tokens as number,
      sha256: e.sha256 as string,
    };
  });
  const source = m.source;
  return {
    format: TOKEN_SHARD_FORMAT,
    version: TOKEN_SHARD_VERSION,
    dtype: m.dtype,
    vocabSize: vocabSize as number,
    tokenizer: m.tokenizer as JsonObject,
    shards,
    ...(typeof source === 'object' && source !== null && !Array.isArray(source)
      ? { source: source as JsonObject }
      : {}),
  };
}
