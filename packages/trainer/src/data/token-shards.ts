import { ConfigError } from '@seqgen/core';
import { tokenFiles as fs } from '../platform/node.js';
import { ShardError } from './shard-error.js';
import {
  bytesPerToken,
  parseTokenShardManifest,
  TOKEN_SHARD_MANIFEST,
  type TokenShardEntry,
  type TokenShardManifest,
  type TokenSplit,
} from './token-shard-manifest.js';

/** How much {@link openTokenShards} checks before returning. */
export type OpenTokenShardsOptions = {
  /** `size` (default): each file exists with exactly `tokens × bytesPerToken` bytes; `sha256`: also hash every byte. */
  verify?: 'size' | 'sha256';
};

type Placed = TokenShardEntry & { path: string; start: number; fd: number | undefined };

/**
 * An opened, validated shard set. Token ranges are read with positioned
 * reads on demand, so memory holds only what a caller asks for, never a
 * whole split. Call {@link TokenShards.close} to release the descriptors.
 */
export class TokenShards {
  /** The shard folder. */
  readonly dir: string;
  /** The validated manifest. */
  readonly manifest: TokenShardManifest;
  private readonly bytesPer: number;
  private readonly placed: Record<TokenSplit, Placed[]>;
  private scratch = new Uint8Array(0);

  /** Use {@link openTokenShards}. */
  constructor(dir: string, manifest: TokenShardManifest) {
    this.dir = dir;
    this.manifest = manifest;
    this.bytesPer = bytesPerToken(manifest.dtype);
    this.placed = { train: [], heldout: [] };
    for (const entry of manifest.shards) {
      const list = this.placed[entry.split];
      const last = list[list.length - 1];
      const start = last ? last.start + last.tokens : 0;
      list.push({ ...entry, path: fs.join(dir, entry.file), start, fd: undefined });
    }
  }

  /** Token ids in a split's stream. */
  tokenCount(split: TokenSplit): number {
    const list = this.placed[split];
    const last = list[list.length - 1];
    return last ? last.start + last.tokens : 0;
  }

  /**
   * `count` token ids of a split's stream from position `start` (across shard
   * files), into `into` when given (it must hold `count`).
   */
  read(split: TokenSplit, start: number, count: number, into?: Int32Array): Int32Array {
    const total = this.tokenCount(split);
    if (
      !Number.isSafeInteger(start) ||
      !Number.isSafeInteger(count) ||
      start < 0 ||
      count < 0 ||
      start + count > total
    ) {
      throw new ConfigError('read', `range [${start}, ${start}+${count}) is outside the ${total} ${split} tokens`);
    }
    const out = into ?? new Int32Array(count);
    if (out.length < count) throw new ConfigError('into', `holds ${out.length} ids; ${count} were asked for`);
    const bytes = count * this.bytesPer;
    if (this.scratch.length < bytes) this.scratch = new Uint8Array(bytes);
    const list = this.placed[split];
    // The first shard holding `start`: binary search over the shards' start positions.
    let lo = 0;
    let hi = list.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((list[mid] as Placed).start <= start) lo = mid;
      else hi = mid - 1;
    }
    let done = 0;
    for (let s = lo; done < count; s++) {
      const shard = list[s] as Placed;
      const from = start + done - shard.start;
      const n = Math.min(count - done, shard.tokens - from);
      if (n <= 0) continue;
      this.readBytes(shard, this.scratch, done * this.bytesPer, n * this.bytesPer, from * this.bytesPer);
      done += n;
    }
    const view = new DataView(this.scratch.buffer, 0, bytes);
    if (this.bytesPer === 2) for (let i = 0; i < count; i++) out[i] = view.getUint16(i * 2, true);
    else for (let i = 0; i < count; i++) out[i] = view.getUint32(i * 4, true);
    return out;
  }

  private readBytes(shard: Placed, into: Uint8Array, offset: number, length: number, position: number): void {
    if (shard.fd === undefined) shard.fd = fs.openRead(shard.path);
    let got = 0;
    while (got < length) {
      const n = fs.read(shard.fd, into, offset + got, length - got, position + got);
      if (n === 0) {
        throw new ShardError(
          'truncated',
          shard.path,
          `ended at byte ${position + got}; the manifest lists ${shard.tokens} tokens`,
        );
      }
      got += n;
    }
  }

  /** Closes every open shard file (reads reopen them). */
  close(): void {
    for (const list of Object.values(this.placed)) {
      for (const shard of list) {
        if (shard.fd !== undefined) fs.close(shard.fd);
        shard.fd = undefined;
      }
    }
  }
}

/**
 * Opens a shard set written by {@link writeTokenShards}: the manifest must be
 * a version-1 seqgen one, and every shard file must exist with exactly the
 * size it lists (with `verify: 'sha256'`, the hash too). Anything else is a
 * {@link ShardError} naming the file.
 */
export function openTokenShards(dir: string, options: OpenTokenShardsOptions = {}): TokenShards {
  const where = fs.stat(dir);
  if (!where) throw new ShardError('not-found', dir, 'no such folder');
  if (!where.isDirectory) throw new ShardError('not-a-shard-set', dir, 'is a file; a shard set is a folder');
  const path = fs.join(dir, TOKEN_SHARD_MANIFEST);
  if (!fs.stat(path)?.isFile) {
    throw new ShardError(
      'not-found',
      path,
      'missing: not a shard set, or an unfinished one (the manifest is written last)',
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(fs.readText(path));
  } catch (cause) {
    throw new ShardError('bad-manifest', path, `is not valid JSON (${(cause as Error).message})`, { cause });
  }
  const manifest = parseTokenShardManifest(json, path);
  const bytesPer = bytesPerToken(manifest.dtype);
  for (const shard of manifest.shards) {
    const file = fs.join(dir, shard.file);
    const stat = fs.stat(file);
    if (!stat?.isFile) throw new ShardError('missing-shard', file, 'listed in the manifest but missing');
    const expected = shard.tokens * bytesPer;
    if (stat.size < expected) {
      throw new ShardError(
        'truncated',
        file,
        `holds ${stat.size} bytes; ${shard.tokens} ${manifest.dtype} tokens need ${expected}`,
      );
    }
    if (stat.size > expected) {
      throw new ShardError(
        'oversized',
        file,
        `holds ${stat.size} bytes; ${shard.tokens} ${manifest.dtype} tokens need ${expected}`,
      );
    }
    if (options.verify === 'sha256' && hashFile(file) !== shard.sha256) {
      throw new ShardError('checksum', file, `SHA-256 differs from the manifest's ${shard.sha256}`);
    }
  }
  for (const split of ['train', 'heldout'] as const) {
    if (!manifest.shards.some((s) => s.split === split && s.tokens > 0)) {
      throw new ShardError('bad-manifest', path, `lists no ${split} tokens`);
    }
  }
  return new TokenShards(dir, manifest);
}

function hashFile(path: string): string {
  const hash = fs.sha256();
  const fd = fs.openRead(path);
  try {
    const chunk = new Uint8Array(1024 * 1024);
    for (let at = 0; ; ) {
      const n = fs.read(fd, chunk, 0, chunk.length, at);
      if (n === 0) break;
      hash.update(chunk.subarray(0, n));
      at += n;
    }
  } finally {
    fs.close(fd);
  }
  return hash.digest();
}
