import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { InputError } from '@seqgen/app-kit';
import { fileKind } from '@seqgen/core';
import type { TokenSplit } from '@seqgen/trainer';
import { HELD_OUT_FRACTION } from './corpus.js';

/** One piece of a streamed corpus: whole lines of text, all in one split. */
export type CorpusPiece = { split: TokenSplit; text: string; bytes: number };

/** How {@link corpusPieces} cuts a corpus. */
export type CorpusPieceOptions = {
  /** Bytes a piece aims at (it ends at the last safe cut before; longer only when a line is). */
  pieceBytes: number;
  /** Fraction of the corpus bytes, at its end, held out (default {@link HELD_OUT_FRACTION}). */
  heldOutFraction?: number;
};

const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;
const BOM = [0xef, 0xbb, 0xbf];

/** Bytes after which no tokenizer joins across a line start: the line starts with a visible character. */
function isWhitespaceByte(b: number): boolean {
  return b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d || b === 0x0b || b === 0x0c;
}

/**
 * Whether a piece may start at `bytes[c]`: right after a single line break
 * between visible characters (`x\n|I`), or in the middle of exactly two
 * (`x\n|\nI`), CRLF alike. There the char, word and byte-BPE (GPT-2 pattern)
 * pre-tokenizers all split the same way whether they see the whole text or
 * the two pieces — a run of more line breaks, or one at a piece's end
 * followed by more whitespace, would be grouped differently.
 */
function safeCut(bytes: Uint8Array, c: number): boolean {
  if (bytes[c - 1] !== NEWLINE) return false;
  const before = bytes[c - 2] === CARRIAGE_RETURN ? c - 3 : c - 2;
  if (before < 0 || isWhitespaceByte(bytes[before] as number)) return false;
  if (!isWhitespaceByte(bytes[c] as number)) return true;
  const second = bytes[c] === CARRIAGE_RETURN ? c + 1 : c;
  return bytes[second] === NEWLINE && second + 1 < bytes.length && !isWhitespaceByte(bytes[second + 1] as number);
}

/**
 * The bytes of a corpus's files as one stream, joined by newlines (as
 * `readCorpus` joins them), BOMs dropped, read in blocks of `block` bytes.
 */
function* corpusBytes(files: ReadonlyArray<{ path: string }>, block: number): Generator<Uint8Array> {
  for (let f = 0; f < files.length; f++) {
    const path = (files[f] as { path: string }).path;
    if (f > 0) yield Uint8Array.of(NEWLINE);
    const fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
    try {
      const stat = fstatSync(fd);
      if (!stat.isFile())
        throw new InputError(`corpus ${path} is ${fileKind(stat)}; only regular text files are read`, path);
      for (let first = true; ; first = false) {
        const chunk = new Uint8Array(block);
        const n = readSync(fd, chunk, 0, block, null);
        if (n === 0) break;
        const skip = first && n >= 3 && BOM.every((b, i) => chunk[i] === b) ? 3 : 0;
        yield chunk.subarray(skip, n);
      }
    } finally {
      closeSync(fd);
    }
  }
}

/**
 * Streams a corpus as pieces of whole lines, each tagged train or held-out,
 * without ever holding more than about two pieces: the held-out part starts
 * at the first safe line start at or after `1 - heldOutFraction` of the
 * stream's bytes, wherever the pieces happen to be cut, so every piece size
 * and thread count tokenizes the same ids. Line endings become `\n`.
 */
export function* corpusPieces(
  files: ReadonlyArray<{ path: string; bytes: number }>,
  options: CorpusPieceOptions,
): Generator<CorpusPiece> {
  const total = files.reduce((n, f) => n + f.bytes, 0) + files.length - 1;
  const heldStart = Math.round(total * (1 - (options.heldOutFraction ?? HELD_OUT_FRACTION)));
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const target = Math.max(1, options.pieceBytes);
  let pending = new Uint8Array(0);
  let pos = 0; // stream bytes emitted so far
  let split: TokenSplit = 'train';

  const emit = (length: number): CorpusPiece => {
    const bytes = pending.subarray(0, length);
    const nul = bytes.indexOf(0);
    if (nul >= 0)
      throw new InputError(`corpus looks binary (NUL byte at stream offset ${pos + nul}); expected UTF-8 text`);
    let text: string;
    try {
      text = decoder.decode(bytes);
    } catch {
      throw new InputError(`corpus is not valid UTF-8 text (in the ${length} bytes from stream offset ${pos})`);
    }
    pending = pending.slice(length);
    pos += length;
    // Pieces end after "\n", so a "\r\n" is never split: normalizing each piece equals normalizing the whole.
    return { split, text: text.replace(/\r\n?/g, '\n'), bytes: length };
  };

  /** Where the next piece ends (undefined: more bytes needed); `atEnd` once the stream is exhausted. */
  const nextCut = (atEnd: boolean): number | undefined => {
    if (split === 'train' && pos + pending.length > heldStart) {
      // The held-out boundary: the first safe cut at or after heldStart.
      const from = Math.max(1, heldStart - pos);
      if (from <= target) {
        for (let c = from; c < pending.length; c++) if (safeCut(pending, c)) return c;
        return atEnd ? pending.length : undefined;
      }
    }
    if (pending.length <= target) return atEnd ? pending.length : undefined;
    const limit = split === 'train' ? Math.min(target, Math.max(1, heldStart - pos)) : target;
    for (let c = limit; c >= 1; c--) if (safeCut(pending, c)) return c;
    // No safe cut in the first `target` bytes (a very long line): the first one after.
    for (let c = limit + 1; c < pending.length; c++) if (safeCut(pending, c)) return c;
    return atEnd ? pending.length : undefined;
  };

  const drain = function* (atEnd: boolean): Generator<CorpusPiece> {
    for (;;) {
      if (pending.length === 0) return;
      const cut = nextCut(atEnd);
      if (cut === undefined) return;
      const atBoundary = split === 'train' && pos + cut >= heldStart;
      if (cut > 0) yield emit(cut);
      if (atBoundary) split = 'heldout';
    }
  };

  for (const block of corpusBytes(files, Math.min(target, 16 * 1024 * 1024))) {
    const grown = new Uint8Array(pending.length + block.length);
    grown.set(pending);
    grown.set(block, pending.length);
    pending = grown;
    yield* drain(false);
  }
  yield* drain(true);
}
