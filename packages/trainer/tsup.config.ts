import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node20',
  // One copy of tfjs per process: it is a peer, never bundled; core is a real dependency.
  external: [/^@tensorflow\//, /^@seqgen\//],
});
