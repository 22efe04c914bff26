import { packageConfig } from '../../tsup.package.ts';

// import.meta.url in the CommonJS build: the addon is found next to dist/.
export default packageConfig({ shims: true });
