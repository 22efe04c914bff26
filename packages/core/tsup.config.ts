import { readFileSync } from 'node:fs';
import { defineConfig } from 'tsup';

const { version } = JSON.parse(readFileSync('./package.json', 'utf8')) as { version: string };

export default defineConfig({
  // errors is its own entry so that tfjs-free packages (tokenizers) can use the typed errors.
  entry: ['src/index.ts', 'src/errors.ts', 'src/doctor-cli.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node20',
  // import.meta.url in the CommonJS build (doctor reads installed versions with it).
  shims: true,
  // One copy of tfjs per process: it is a peer, never bundled.
  external: [/^@tensorflow\//],
  // The version constant is baked in so that bundling users see the right number.
  env: { SEQGEN_CORE_VERSION: version },
});
