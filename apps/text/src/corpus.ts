import {
  closeSync,
  constants,
  fstatSync,
  lstatSync,
  openSync,
  readdirSync,
  readSync,
  type Stats,
  statSync,
} from 'node:fs';
import { join, relative } from 'node:path';
import { InputError } from '@seqgen/app-kit';
import { fileKind } from '@seqgen/core';

/** The fraction of the corpus (its tail) that is held out for validation. */
export const HELD_OUT_FRACTION = 0.1;

/** Default limit on the bytes a corpus (a file, or all files of a folder together) may hold: 512 MiB. */
export const DEFAULT_MAX_CORPUS_BYTES = 512 * 1024 * 1024;

export interface ReadCorpusOptions {
  /** Most bytes read in all (default {@link DEFAULT_MAX_CORPUS_BYTES}); enforced while reading, not after. */
  maxBytes?: number;
}

/** The byte limit for a `--max-corpus-mb` value (MiB; default {@link DEFAULT_MAX_CORPUS_BYTES}). */
export function corpusLimit(maxCorpusMb?: number): ReadCorpusOptions {
  return { maxBytes: maxCorpusMb === undefined ? DEFAULT_MAX_CORPUS_BYTES : Math.floor(maxCorpusMb * 1024 * 1024) };
}

function mib(bytes: number): string {
  return `${Math.round((bytes / 1024 / 1024) * 10) / 10} MiB`;
}

function tooLarge(shown: string, path: string, limit: number): InputError {
  return new InputError(`corpus ${shown} is larger than the ${mib(limit)} limit (raise it with --max-corpus-mb)`, path);
}

/**
 * Every regular file under `dir`, sorted by path, hidden entries skipped. A
 * FIFO, device or socket in the folder is refused (reading one could block or
 * never end); a symbolic link counts when it points to a regular file.
 */
function listFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listFiles(path));
    else if (entry.isFile()) out.push(path);
    else {
      let target: Stats;
      try {
        target = statSync(path);
      } catch {
        throw new InputError(`corpus folder entry ${path} is a broken symbolic link`, path);
      }
      if (target.isFile()) out.push(path);
      else {
        const what = entry.isSymbolicLink() ? `a symbolic link to ${fileKind(target)}` : fileKind(lstatSync(path));
        throw new InputError(`corpus folder entry ${path} is ${what}; only regular text files are read`, path);
      }
    }
  }
  return out;
}

/**
 * Reads at most `limit` bytes of a regular file. The file is opened without
 * blocking and checked again once open (it may have been replaced by a FIFO or
 * a device since it was listed), and the limit is enforced while reading, so
 * neither a pipe nor a file that keeps growing can hang or exhaust memory.
 */
function readRegularFile(
  path: string,
  shown: string,
  limit: number,
  exceeded: () => InputError = () => tooLarge(shown, path, limit),
): Buffer {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (error) {
    throw new InputError(`cannot open corpus file ${shown}: ${(error as NodeJS.ErrnoException).code ?? error}`, path);
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) {
      throw new InputError(
        `corpus ${shown} is ${fileKind(stat)}; only regular text files (or a folder of them) are read`,
        path,
      );
    }
    if (stat.size > limit) throw exceeded();
    const chunks: Buffer[] = [];
    let total = 0;
    const chunkSize = Math.max(1, Math.min(limit + 1, Math.max(stat.size + 1, 64 * 1024), 16 * 1024 * 1024));
    for (;;) {
      const chunk = Buffer.allocUnsafe(chunkSize);
      const n = readSync(fd, chunk, 0, chunkSize, null);
      if (n === 0) break;
      total += n;
      if (total > limit) throw exceeded();
      chunks.push(n === chunkSize ? chunk : chunk.subarray(0, n));
    }
    return Buffer.concat(chunks, total);
  } finally {
    closeSync(fd);
  }
}

/** Decodes bytes as strict UTF-8 text; binary files (NUL bytes) and invalid UTF-8 are refused. */
function decodeText(bytes: Buffer, path: string, shown: string): string {
  const nul = bytes.indexOf(0);
  if (nul >= 0)
    throw new InputError(`corpus file ${shown} looks binary (NUL byte at offset ${nul}); expected UTF-8 text`, path);
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw new InputError(`corpus file ${shown} is not valid UTF-8 text`, path);
  }
}

/**
 * Decodes one regular file as strict UTF-8 text (at most `maxBytes`); binary
 * files (NUL bytes), invalid UTF-8, FIFOs and devices are refused.
 */
export function readTextFile(path: string, shown = path, maxBytes = DEFAULT_MAX_CORPUS_BYTES): string {
  return decodeText(readRegularFile(path, shown, maxBytes), path, shown);
}

/**
 * Reads a corpus: one regular text file, or every regular file under a folder
 * (sorted by path, hidden files skipped), joined by newlines. Line endings
 * become `\n`. Anything else (a FIFO, `/dev/zero`, a socket) is refused before
 * it is opened, and at most `maxBytes` are read in all.
 */
export function readCorpus(path: string, options: ReadCorpusOptions = {}): string {
  const limit = options.maxBytes ?? DEFAULT_MAX_CORPUS_BYTES;
  const { folder, files } = listCorpus(path);
  let left = limit;
  const texts: string[] = [];
  for (const f of files) {
    const shown = folder ? join(path, relative(path, f)) : f;
    const bytes = readRegularFile(f, shown, left, () => tooLarge(path, path, limit));
    left -= bytes.length;
    texts.push(decodeText(bytes, f, shown));
  }
  const text = texts.join('\n').replace(/\r\n?/g, '\n');
  if (text.trim().length === 0) throw new InputError(`corpus ${path} is empty`, path);
  return text;
}

/** Train text and held-out text: the held-out part is the last `fraction` of the characters, never trained on. */
export function splitHeldOut(text: string, fraction = HELD_OUT_FRACTION): { train: string; heldOut: string } {
  const chars = Array.from(text);
  const cut = Math.round(chars.length * (1 - fraction));
  if (cut < 2 || chars.length - cut < 2) {
    throw new InputError(
      `corpus is too small to hold out ${fraction * 100}% for validation (${chars.length} characters)`,
    );
  }
  return { train: chars.slice(0, cut).join(''), heldOut: chars.slice(cut).join('') };
}

/** Number of characters (code points) in a text: the unit of bits per character. */
export function countChars(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

/**
 * The regular files a corpus path names, in reading order (one file, or every
 * regular file under a folder, sorted, hidden ones skipped), with their sizes:
 * for readers that stream the corpus instead of holding it ({@link readCorpus}).
 */
export function corpusFiles(path: string): Array<{ path: string; bytes: number }> {
  return listCorpus(path).files.map((f) => ({ path: f, bytes: statSync(f).size }));
}

/** The files a corpus path names (it or the regular files under it); anything else is an `InputError`. */
function listCorpus(path: string): { folder: boolean; files: string[] } {
  let stat: Stats;
  try {
    stat = statSync(path);
  } catch {
    throw new InputError(`corpus not found: ${path}`, path);
  }
  if (!stat.isDirectory() && !stat.isFile()) {
    throw new InputError(
      `corpus ${path} is ${fileKind(stat)}; only regular text files (or a folder of them) are read`,
      path,
    );
  }
  const files = stat.isDirectory() ? listFiles(path) : [path];
  if (files.length === 0) throw new InputError(`corpus folder ${path} holds no files`, path);
  return { folder: stat.isDirectory(), files };
}
