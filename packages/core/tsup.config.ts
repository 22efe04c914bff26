import { readFileSync } from 'node:fs';
import { nodeAndBrowserConfig } from '../../tsup.package.ts';

const { version } = JSON.parse(readFileSync('./package.json', 'utf8')) as { version: string };

export default nodeAndBrowserConfig({
  // errors and registry are entries of their own so that tfjs-free packages (tokenizers,
  // codecs) can use the typed errors, the registry and the option checks without loading tfjs.
  entry: { index: 'src/index.ts', errors: 'src/errors.ts', registry: 'src/registry-entry.ts' },
  // import.meta.url in the CommonJS build (environmentReport reads installed versions with it).
  shims: true,
  // The version constant is baked in so that bundling users see the right number.
  env: { SEQGEN_CORE_VERSION: version },
});
