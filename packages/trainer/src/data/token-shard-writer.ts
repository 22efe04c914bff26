import { assertPositiveInteger, ConfigError, type JsonObject } from '@seqgen/core';
import { tokenFiles as fs } from '../platform/node.js';
import { ShardError } from './shard-error.js';
import {
  bytesPerToken,
  dtypeFor,
  TOKEN_SHARD_FORMAT,
  TOKEN_SHARD_MANIFEST,
  TOKEN_SHARD_VERSION,
  type TokenShardEntry,
  type TokenShardManifest,
  type TokenSplit,
} from './token-shard-manifest.js';

/** What {@link writeTokenShards} writes besides the token ids. */
export type TokenShardWriterOptions = {
  /** Every token id must be below this; it decides the dtype (uint16 up to 65536). */
  vocabSize: number;
  /** The tokenizer's JSON (a @seqgen/tokenizers tokenizer's `toJSON()`), stored in the manifest. */
  tokenizer: object;
  /** A new shard file starts once one holds this many bytes (default 128 MiB). */
  shardBytes?: number;
  /** Informational record of what was tokenized (files, bytes, held-out fraction). */
  source?: JsonObject;
};

/** Default size at which a shard file is closed and the next one started: 128 MiB. */
export const DEFAULT_SHARD_BYTES = 128 * 1024 * 1024;

/** Bytes gathered before each write call (bounded memory, few system calls). */
const WRITE_BUFFER_BYTES = 1024 * 1024;

type OpenShard = { entry: TokenShardEntry; fd: number; hash: ReturnType<typeof fs.sha256> };

/**
 * A streaming shard writer: feed it token ids with {@link TokenShardWriter.write}
 * in stream order, and {@link TokenShardWriter.finish} writes the manifest —
 * last, atomically — so a folder without one is an unfinished set.
 */
export class TokenShardWriter {
  /** The folder being written. */
  readonly dir: string;
  private readonly options: TokenShardWriterOptions;
  private readonly bytesPer: number;
  private readonly shardTokens: number;
  private readonly shards: TokenShardEntry[] = [];
  private readonly open = new Map<TokenSplit, OpenShard>();
  private readonly counts: Record<TokenSplit, number> = { train: 0, heldout: 0 };
  private readonly buffer: Uint8Array;
  private readonly view: DataView;
  private finished = false;

  /** Use {@link writeTokenShards}. */
  constructor(dir: string, options: TokenShardWriterOptions) {
    assertPositiveInteger('vocabSize', options.vocabSize);
    if (options.vocabSize > 2 ** 32) throw new ConfigError('vocabSize', `${options.vocabSize} does not fit in uint32`);
    if (typeof options.tokenizer !== 'object' || options.tokenizer === null) {
      throw new ConfigError('tokenizer', 'must be the tokenizer JSON object');
    }
    const shardBytes = options.shardBytes ?? DEFAULT_SHARD_BYTES;
    assertPositiveInteger('shardBytes', shardBytes);
    this.bytesPer = bytesPerToken(dtypeFor(options.vocabSize));
    this.shardTokens = Math.max(1, Math.floor(shardBytes / this.bytesPer));
    const existing = fs.stat(dir);
    if (existing && !existing.isDirectory) throw new ConfigError('dir', `${dir} exists and is not a folder`);
    if (existing && (fs.list(dir) ?? []).length > 0) {
      throw new ConfigError('dir', `${dir} is not empty; shards are written into a new or empty folder`);
    }
    fs.makeFolder(dir);
    this.dir = dir;
    this.options = options;
    this.buffer = new Uint8Array(WRITE_BUFFER_BYTES);
    this.view = new DataView(this.buffer.buffer);
  }

  /** Token ids written so far to each split. */
  get tokens(): Readonly<Record<TokenSplit, number>> {
    return { ...this.counts };
  }

  /** Appends token ids to a split's stream; a shard file is closed and a new one started at the size limit. */
  write(split: TokenSplit, ids: ArrayLike<number>): void {
    if (this.finished) throw new ConfigError('write', 'the shard set is already finished');
    if (split !== 'train' && split !== 'heldout') throw new ConfigError('split', `must be "train" or "heldout"`);
    const { vocabSize } = this.options;
    let i = 0;
    while (i < ids.length) {
      const shard = this.shardFor(split);
      const room = this.shardTokens - shard.entry.tokens;
      const n = Math.min(room, ids.length - i, this.buffer.length / this.bytesPer);
      for (let k = 0; k < n; k++) {
        const id = ids[i + k] as number;
        if (!Number.isInteger(id) || id < 0 || id >= vocabSize) {
          throw new ShardError(
            'token-out-of-range',
            shard.entry.file,
            `token id ${id} at position ${this.counts[split] + k} is not an integer in [0, ${vocabSize})`,
          );
        }
        if (this.bytesPer === 2) this.view.setUint16(k * 2, id, true);
        else this.view.setUint32(k * 4, id, true);
      }
      const bytes = this.buffer.subarray(0, n * this.bytesPer);
      fs.write(shard.fd, bytes);
      shard.hash.update(bytes);
      shard.entry.tokens += n;
      this.counts[split] += n;
      i += n;
      if (shard.entry.tokens >= this.shardTokens) this.closeShard(split);
    }
  }

  private shardFor(split: TokenSplit): OpenShard {
    const current = this.open.get(split);
    if (current) return current;
    const index = this.shards.filter((s) => s.split === split).length;
    const file = `${split}-${String(index).padStart(5, '0')}.bin`;
    const entry: TokenShardEntry = { file, split, tokens: 0, sha256: '' };
    this.shards.push(entry);
    const shard = { entry, fd: fs.openWrite(fs.join(this.dir, file)), hash: fs.sha256() };
    this.open.set(split, shard);
    return shard;
  }

  private closeShard(split: TokenSplit): void {
    const shard = this.open.get(split);
    if (!shard) return;
    fs.sync(shard.fd);
    fs.close(shard.fd);
    shard.entry.sha256 = shard.hash.digest();
    this.open.delete(split);
  }

  /**
   * Closes the last shards and writes `manifest.json` (to a temporary name,
   * fsynced, then renamed), making the set readable. Both splits need tokens.
   */
  finish(): TokenShardManifest {
    if (this.finished) throw new ConfigError('finish', 'the shard set is already finished');
    for (const split of ['train', 'heldout'] as const) this.closeShard(split);
    for (const split of ['train', 'heldout'] as const) {
      if (this.counts[split] === 0) throw new ConfigError(split, `split has no tokens; a shard set needs both splits`);
    }
    this.finished = true;
    // Stream order: all train shards, then all held-out shards.
    const shards = [
      ...this.shards.filter((s) => s.split === 'train'),
      ...this.shards.filter((s) => s.split === 'heldout'),
    ];
    const manifest: TokenShardManifest = {
      format: TOKEN_SHARD_FORMAT,
      version: TOKEN_SHARD_VERSION,
      dtype: dtypeFor(this.options.vocabSize),
      vocabSize: this.options.vocabSize,
      tokenizer: this.options.tokenizer as JsonObject,
      shards,
      ...(this.options.source ? { source: this.options.source } : {}),
    };
    const path = fs.join(this.dir, TOKEN_SHARD_MANIFEST);
    const temp = `${path}.tmp`;
    const fd = fs.openWrite(temp);
    try {
      fs.write(fd, new TextEncoder().encode(`${JSON.stringify(manifest, null, 2)}\n`));
      fs.sync(fd);
    } finally {
      fs.close(fd);
    }
    fs.rename(temp, path);
    return manifest;
  }

  /** Closes open files without a manifest (the folder stays an unfinished set). */
  abort(): void {
    for (const shard of this.open.values()) fs.close(shard.fd);
    this.open.clear();
    this.finished = true;
  }
}

/**
 * Starts a token shard set in `dir` (a new or empty folder): the ids fed to
 * the returned writer go to `train-NNNNN.bin` / `heldout-NNNNN.bin` files of
 * little-endian uint16 (uint32 when `vocabSize` > 65536), each with its SHA-256.
 */
export function writeTokenShards(dir: string, options: TokenShardWriterOptions): TokenShardWriter {
  return new TokenShardWriter(dir, options);
}
