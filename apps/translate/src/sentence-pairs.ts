import { existsSync, statSync } from 'node:fs';
import { InputError, UsageError } from '@seqgen/app-kit';
import { SeqgenError } from '@seqgen/core';
import { cleanPairs, dedupePairs, moPairsFromLocale, readSentencePairsTsvFile, splitPairs } from '@seqgen/text';

/** One source sentence and its translation. */
export interface Pair {
  source: string;
  target: string;
}

/** Where the pairs come from: the gettext catalogs of a language on this machine, or a TSV file. */
export interface PairOrigin {
  /** Target language of the installed catalogs (`de`, `fr`…): English msgid → its msgstr. */
  lang?: string;
  /** Folder holding `<lang>/LC_MESSAGES/*.mo` (default /usr/share/locale). */
  localeRoot?: string;
  /** A tab-separated file of `source<TAB>target` lines (Tatoeba / Anki style) instead of the catalogs. */
  pairsFile?: string;
}

export interface LoadedPairs {
  pairs: Pair[];
  /** For messages and records: `gettext catalogs /usr/share/locale/de` or the TSV path. */
  description: string;
  /** Pairs read before cleaning and deduplication. */
  read: number;
}

export const DEFAULT_LOCALE_ROOT = '/usr/share/locale';

/** Reads, cleans and deduplicates the pairs of `origin`; a missing or empty source is an {@link InputError}. */
export function loadPairs(origin: PairOrigin): LoadedPairs {
  let raw: Pair[];
  let description: string;
  if (origin.pairsFile) {
    const path = origin.pairsFile;
    if (!existsSync(path)) throw new InputError(`--pairs ${path}: no such file`, path);
    if (!statSync(path).isFile()) throw new InputError(`--pairs ${path}: not a regular file`, path);
    raw = wrap(() => readSentencePairsTsvFile(path), path).pairs;
    description = path;
  } else {
    const lang = origin.lang ?? 'de';
    const root = origin.localeRoot ?? DEFAULT_LOCALE_ROOT;
    raw = wrap(() => moPairsFromLocale(lang, { root }), `${root}/${lang}`).pairs;
    description = `gettext catalogs ${root}/${lang}/LC_MESSAGES`;
  }
  const pairs = dedupePairs(cleanPairs(raw).pairs).map((p) => ({ source: p.source, target: p.target }));
  if (pairs.length === 0) {
    const where = origin.pairsFile ?? description;
    throw new InputError(`${where}: no usable sentence pairs (read ${raw.length}, none left after cleaning)`, where);
  }
  return { pairs, description, read: raw.length };
}

/** Train / validation / test split in which no test (or validation) source sentence occurs in train. */
export function splitForTraining(
  pairs: readonly Pair[],
  options: { test: number; valid: number; seed: number },
): { train: Pair[]; valid: Pair[]; test: Pair[] } {
  const need = options.test + options.valid + 1;
  if (pairs.length < need) {
    throw new UsageError(
      `${pairs.length} sentence pairs cannot be split into --test ${options.test}, --valid ${options.valid} and a training set`,
    );
  }
  return splitPairs(pairs, options);
}

function wrap<T>(read: () => T, path: string): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof SeqgenError) throw new InputError(`${path}: ${error.message}`, path, { cause: error });
    if (isFsError(error)) throw new InputError(`${path}: ${error.message}`, path, { cause: error });
    throw error;
  }
}

function isFsError(error: unknown): error is NodeJS.ErrnoException {
  return error instanceof Error && typeof (error as NodeJS.ErrnoException).code === 'string';
}
