import { nodeAndBrowserConfig } from '../../tsup.package.ts';

export default nodeAndBrowserConfig();
