import { packageConfig } from '../../tsup.package.ts';

// shims: the CommonJS build gets import.meta.url, which finds the shipped checkpoint.
// encoder: the conv encoder alone, free of the Node-only readers (models' captioner bundles for the browser).
export default packageConfig({ shims: true, entry: { index: 'src/index.ts', encoder: 'src/encoder.ts' } });
