import { packageConfig } from '../../tsup.package.ts';

// import.meta.url in the CommonJS build: loadMnistDigits resolves the `mnist` package with it.
export default packageConfig({ shims: true });
