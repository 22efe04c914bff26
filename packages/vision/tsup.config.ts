import { packageConfig } from '../../tsup.package.ts';

// shims: the CommonJS build gets import.meta.url, which finds the shipped checkpoint.
export default packageConfig({ shims: true });
