import { defineConfig } from 'tsup';

export default defineConfig({
  // Test fixtures live under src/ for colocation but are never an entry, so they are not shipped.
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node20',
  // One copy of tfjs (and of core's kernel-registering imports) per process: peers, never bundled.
  external: [/^@tensorflow\//, /^@seqgen\//],
});
