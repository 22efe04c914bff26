import { readFileSync } from 'node:fs';
import { packageConfig } from '../../tsup.package.ts';

const { version } = JSON.parse(readFileSync('./package.json', 'utf8')) as { version: string };

export default packageConfig({
  // errors is its own entry so that tfjs-free packages (tokenizers) can use the typed errors.
  entry: ['src/index.ts', 'src/errors.ts', 'src/doctor-cli.ts'],
  // import.meta.url in the CommonJS build (doctor reads installed versions with it).
  shims: true,
  // The version constant is baked in so that bundling users see the right number.
  env: { SEQGEN_CORE_VERSION: version },
});
