import { defineConfig, type Options } from 'tsup';

/**
 * The build every publishable package shares: ESM + CJS with .d.ts/.d.cts and
 * source maps for Node 20. tfjs and the other @seqgen packages stay external:
 * two copies of tfjs-core (or of seqgen's error classes) in one process break
 * kernel registries and `instanceof`.
 */
export function packageConfig(overrides: Options = {}) {
  return defineConfig({
    entry: ['src/index.ts'],
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'node20',
    external: [/^@tensorflow\//, /^@seqgen\//],
    ...overrides,
  });
}
