import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { cli: 'src/cli.ts', demo: 'src/demo.ts' },
  format: ['esm'],
  sourcemap: true,
  clean: true,
  target: 'node20',
  banner: { js: '#!/usr/bin/env node' },
  // One copy of tfjs and of @seqgen/* per process: never bundled.
  external: [/^@tensorflow\//, /^@seqgen\//, 'commander'],
});
