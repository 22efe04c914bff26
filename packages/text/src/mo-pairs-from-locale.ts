import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '@seqgen/base';
import { DataError } from './data-error.js';
import { readMoCatalog } from './read-mo-catalog.js';
import type { SentencePair } from './sentence-pair.js';

/** Options of {@link moPairsFromLocale}. */
export interface MoLocaleOptions {
  /** The locale tree. Default `'/usr/share/locale'`. */
  root?: string;
  /** Catalogs larger than this many bytes are skipped. Default 64 MiB. */
  maxFileBytes?: number;
}

/** One catalog {@link moPairsFromLocale} read. */
export interface MoCatalogSummary {
  /** File name, e.g. `coreutils.mo`. */
  name: string;
  /** Pairs taken from it. */
  pairs: number;
}

/** A catalog {@link moPairsFromLocale} could not use. */
export type MoSkippedCatalog = {
  /** The catalog's file name (in the locale's `LC_MESSAGES` folder). */
  name: string;
  /** Why it was skipped: the read error's message, or that it exceeds `maxFileBytes`. */
  reason: string;
};

/** What {@link moPairsFromLocale} found. */
export interface MoLocalePairs {
  /** English→`lang` pairs from every readable catalog, in file-name order (raw: clean them with `cleanPairs`). */
  pairs: SentencePair[];
  /** Catalogs read, with their pair counts. */
  catalogs: MoCatalogSummary[];
  /** Catalogs skipped (unsupported charset, malformed, too large), with the reason. */
  skipped: MoSkippedCatalog[];
}

// A locale name (de, pt_BR, sr@latin), never a path.
const LOCALE_NAME = /^[A-Za-z]{2,3}(?:[_-][A-Za-z0-9]+)?(?:\.[A-Za-z0-9-]+)?(?:@[A-Za-z0-9]+)?$/;

/**
 * English→`lang` sentence pairs from every gettext catalog installed under
 * `<root>/<lang>/LC_MESSAGES/*.mo` (the translations of the programs on this
 * machine). A catalog that cannot be read (unsupported charset, malformed) is
 * skipped and listed in `skipped` with the reason; a missing locale directory
 * is `DataError` `'not-found'`, a `lang` that is not a locale name `ConfigError`.
 */
export function moPairsFromLocale(lang: string, options: MoLocaleOptions = {}): MoLocalePairs {
  if (typeof lang !== 'string' || !LOCALE_NAME.test(lang)) {
    throw new ConfigError('lang', `must be a locale name such as "de" or "pt_BR", got ${JSON.stringify(lang)}`);
  }
  const root = options.root ?? '/usr/share/locale';
  const maxFileBytes = options.maxFileBytes ?? 64 * 2 ** 20;
  const dir = join(root, lang, 'LC_MESSAGES');
  let names: string[];
  try {
    names = readdirSync(dir)
      .filter((file) => file.endsWith('.mo'))
      .sort();
  } catch (cause) {
    throw new DataError('not-found', dir, `no gettext catalogs for locale "${lang}" (cannot list the directory)`, {
      cause,
    });
  }
  const result: MoLocalePairs = { pairs: [], catalogs: [], skipped: [] };
  for (const name of names) {
    const path = join(dir, name);
    try {
      const size = statSync(path).size;
      if (size > maxFileBytes) {
        result.skipped.push({ name, reason: `${size} bytes exceeds maxFileBytes ${maxFileBytes}` });
        continue;
      }
      const entries = readMoCatalog(readFileSync(path), { name: path });
      for (const entry of entries) result.pairs.push({ source: entry.msgid, target: entry.msgstr });
      result.catalogs.push({ name, pairs: entries.length });
    } catch (error) {
      if (!(error instanceof DataError) && (error as NodeJS.ErrnoException).code === undefined) throw error;
      result.skipped.push({ name, reason: error instanceof Error ? error.message : String(error) });
    }
  }
  return result;
}
