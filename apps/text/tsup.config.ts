import { defineConfig } from 'tsup';

export default defineConfig({
  entry: {
    cli: 'src/cli.ts',
    demo: 'src/demo.ts',
    'bench-ngram': 'bench/ngram.ts',
    'bench-shards': 'bench/shards.ts',
    'bench-learning-curve': 'bench/learning-curve.ts',
    // A file of its own: `tokenize` starts it in worker threads.
    'tokenize-worker': 'src/tokenize-worker.ts',
  },
  format: ['esm'],
  sourcemap: true,
  clean: true,
  target: 'node20',
  banner: { js: '#!/usr/bin/env node' },
  // One copy of tfjs and of @seqgen/* per process: never bundled.
  external: [/^@tensorflow\//, /^@seqgen\//, 'commander'],
});
