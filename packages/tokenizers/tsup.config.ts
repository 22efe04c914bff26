import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node20',
  // Only the tfjs-free errors entry of core is imported; keep it external so one copy of the error classes exists.
  external: [/^@seqgen\//],
});
