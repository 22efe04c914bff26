import { ConfigError } from '@seqgen/core';

/** Variable-length sequences laid out as `[batchSize, length]` with a mask. */
export interface PaddedBatch {
  /** Sequences in the batch (rows). */
  batchSize: number;
  /** Positions per row: the longest sequence after truncation. */
  length: number;
  /** Token ids, `padId` after each sequence's end. */
  ids: Int32Array;
  /** 1 for real tokens, 0 for padding. */
  mask: Float32Array;
  /** Length of each sequence after truncation. */
  lengths: Int32Array;
}

/** How {@link padBatch} pads and truncates. */
export interface PadOptions {
  /** Id written into padding positions (default 0). */
  padId?: number;
  /** Truncate longer sequences to this many tokens. */
  maxLength?: number;
}

/** Pads sequences to the longest one (full-sequence batches for seq2seq, captions, full BPTT). */
export function padBatch(sequences: ReadonlyArray<ArrayLike<number>>, options: PadOptions = {}): PaddedBatch {
  if (sequences.length === 0) throw new ConfigError('sequences', 'must not be empty');
  const padId = options.padId ?? 0;
  const cap = options.maxLength ?? Number.POSITIVE_INFINITY;
  if (!(cap > 0)) throw new ConfigError('maxLength', `must be positive, got ${cap}`);
  const lengths = Int32Array.from(sequences, (s) => Math.min(s.length, cap));
  const length = Math.max(1, ...lengths);
  const ids = new Int32Array(sequences.length * length).fill(padId);
  const mask = new Float32Array(sequences.length * length);
  sequences.forEach((s, b) => {
    for (let t = 0; t < (lengths[b] as number); t++) {
      ids[b * length + t] = s[t] as number;
      mask[b * length + t] = 1;
    }
  });
  return { batchSize: sequences.length, length, ids, mask, lengths };
}
